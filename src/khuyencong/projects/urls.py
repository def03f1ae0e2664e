from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("xuat.xlsx", views.project_export, name="project_export"),
    path("giai-ngan/", views.disbursement, name="disbursement"),
    path("giai-ngan.xlsx", views.disbursement_export, name="disbursement_export"),
    path("lap/", views.project_create, name="project_create"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/sua/", views.project_edit, name="project_edit"),
    path("<int:pk>/trang-thai/", views.project_transition, name="project_transition"),
    path("<int:pk>/tam-ung/", views.advance_create, name="advance_create"),
    path("<int:pk>/thanh-toan/", views.payment_create, name="payment_create"),
    path(
        "<int:pk>/thanh-toan/<int:payment_pk>/dong-ky/",
        views.payment_cosign,
        name="payment_cosign",
    ),
    path("<int:pk>/tien-do/", views.progress_create, name="progress_create"),
    path("<int:pk>/kiem-tra/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/tai-lieu/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/tai-lieu/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    # Generated documents: phieu-tham-dinh, quyet-dinh, bien-ban-nghiem-thu × docx, pdf.
    path("<int:pk>/<slug:kind>.<slug:fmt>", views.project_document, name="project_document"),
]
