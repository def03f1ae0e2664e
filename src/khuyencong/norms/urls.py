from django.urls import path

from . import views

app_name = "norms"
urlpatterns = [
    path("", views.norm_list, name="norm_list"),
    path("them/", views.norm_create, name="norm_create"),
    path("<int:pk>/sua/", views.norm_edit, name="norm_edit"),
    path("tinh/", views.calculator, name="calculator"),
]
