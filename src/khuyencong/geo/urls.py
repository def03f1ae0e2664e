from django.urls import path

from . import views

app_name = "geo"
urlpatterns = [
    path("", views.unit_list, name="unit_list"),
    path("goi-y/", views.unit_suggest, name="unit_suggest"),
    path("<str:code>/", views.unit_detail, name="unit_detail"),
    path("<str:code>/sua/", views.unit_edit, name="unit_edit"),
]
