from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("chuyen-vai-tro/", views.switch_role, name="switch_role"),
    path("can-bo/", views.staff_list, name="staff_list"),
]
