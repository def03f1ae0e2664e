from django.urls import path

from . import user_views, views

app_name = "accounts"
urlpatterns = [
    path("chuyen-vai-tro/", views.switch_role, name="switch_role"),
    path("can-bo/", user_views.user_list, name="staff_list"),
    path("can-bo/them/", user_views.user_create, name="user_create"),
    path("can-bo/nhap/", user_views.user_import, name="user_import"),
    path("can-bo/nhap/mau.xlsx", user_views.user_import_template, name="user_import_template"),
    path("can-bo/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("can-bo/<int:pk>/vai-tro/", user_views.role_assign, name="role_assign"),
    path(
        "can-bo/<int:pk>/vai-tro/<int:assignment_pk>/ket-thuc/",
        user_views.role_end,
        name="role_end",
    ),
    path("can-bo/<int:pk>/<slug:action>/", user_views.user_action, name="user_action"),
]
