from django.urls import path

from . import views

app_name = "planning"
urlpatterns = [
    # Kế hoạch khuyến công năm
    path("", views.plan_list, name="plan_list"),
    path("lap/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/tong-hop/", views.plan_consolidate, name="plan_consolidate"),
    path("<int:pk>/trang-thai/", views.plan_transition, name="plan_transition"),
    path("<int:pk>/de-an/them/", views.item_create, name="item_create"),
    path("<int:pk>/de-an/<int:item_pk>/", views.item_edit, name="item_edit"),
    path("<int:pk>/de-an/<int:item_pk>/xoa/", views.item_delete, name="item_delete"),
    path("<int:pk>/mau-2.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    # Đợt đăng ký
    path("dot-dang-ky/", views.round_list, name="round_list"),
    path("dot-dang-ky/mo/", views.round_create, name="round_create"),
    path("dot-dang-ky/<int:pk>/", views.round_detail, name="round_detail"),
    path("dot-dang-ky/<int:pk>/sua/", views.round_edit, name="round_edit"),
    path("dot-dang-ky/<int:pk>/gia-han/", views.extension_create, name="extension_create"),
    # Phiếu đăng ký nhu cầu hỗ trợ
    path("phieu/", views.registration_list, name="registration_list"),
    path("phieu/moi/", views.registration_create, name="registration_create"),
    path("phieu/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("phieu/<int:pk>/sua/", views.registration_edit, name="registration_edit"),
    path(
        "phieu/<int:pk>/trang-thai/", views.registration_transition, name="registration_transition"
    ),
]
