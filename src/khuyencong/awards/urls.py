from django.urls import path

from .views import products

app_name = "awards"
urlpatterns = [
    path("san-pham/", products.product_list, name="product_list"),
    path("san-pham/them/", products.product_create, name="product_create"),
    path("san-pham/<int:pk>/", products.product_detail, name="product_detail"),
    path("san-pham/<int:pk>/sua/", products.product_edit, name="product_edit"),
    path("san-pham/<int:pk>/anh/", products.photo_upload, name="photo_upload"),
    path(
        "san-pham/<int:pk>/anh/<int:photo_pk>/<slug:size>",
        products.photo_file,
        name="photo_file",
    ),
    path("san-pham/<int:pk>/anh/<int:photo_pk>/xoa/", products.photo_delete, name="photo_delete"),
    path("san-pham/<int:pk>/giay-to/", products.paper_upload, name="paper_upload"),
    path(
        "san-pham/<int:pk>/giay-to/<int:paper_pk>/",
        products.paper_download,
        name="paper_download",
    ),
    path(
        "san-pham/<int:pk>/giay-to/<int:paper_pk>/xoa/",
        products.paper_delete,
        name="paper_delete",
    ),
]
