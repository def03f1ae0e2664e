from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.establishment_list, name="establishment_list"),
    path("xuat/", views.establishment_export, name="establishment_export"),
    path("them/", views.establishment_create, name="establishment_create"),
    path("<int:pk>/", views.establishment_detail, name="establishment_detail"),
    path("<int:pk>/sua/", views.establishment_edit, name="establishment_edit"),
    path("nghe-nhan/", views.artisan_list, name="artisan_list"),
    path("nghe-nhan/them/", views.artisan_create, name="artisan_create"),
    path("nghe-nhan/<int:pk>/sua/", views.artisan_edit, name="artisan_edit"),
    path("nhap/", views.import_establishments, name="import"),
    path("nhap/mau.xlsx", views.import_template, name="import_template"),
    path("nhap/<int:pk>/", views.import_job, name="import_job"),
]
