from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.programme_list, name="programme_list"),
    path("<slug:code>/", views.programme_detail, name="programme_detail"),
    path("<slug:code>/trang-thai/", views.programme_status, name="programme_status"),
    path("<slug:code>/dong/them/", views.line_add, name="line_add"),
    path("<slug:code>/dong/<int:order>/", views.line_edit, name="line_edit"),
    path("<slug:code>/dong/<int:order>/xoa/", views.line_delete, name="line_delete"),
    path("<slug:code>/phu-luc.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:code>/phu-luc.docx", views.export_docx, name="export_docx"),
    path("<slug:code>/phu-luc.pdf", views.export_pdf, name="export_pdf"),
    path("<slug:code>/nhap-excel/", views.import_xlsx, name="import_xlsx"),
]
