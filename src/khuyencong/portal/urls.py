from django.urls import path, re_path

from .views import consent, meta, opendata, pages, programmes, resolver

app_name = "portal"
urlpatterns = [
    path("san-pham/", pages.catalogue, name="catalogue"),
    path("san-pham/<int:pk>/", pages.product_short, name="product_short"),
    path("san-pham/<int:pk>-<slug:slug>/", pages.product, name="product"),
    path("san-pham/anh/<int:pk>-<slug:token>/<slug:size>", pages.photo, name="photo"),
    path("cong-khai/chuong-trinh/", programmes.programme_list, name="programmes"),
    path("cong-khai/chuong-trinh/<slug:code>/", programmes.programme_detail, name="programme"),
    path("du-lieu-mo/", opendata.index, name="opendata"),
    path("du-lieu-mo/<slug:slug>/datapackage.json", opendata.datapackage, name="datapackage"),
    path("du-lieu-mo/<slug:slug>/dcat.jsonld", opendata.dcat, name="dcat"),
    path(
        "du-lieu-mo/<slug:slug>/<slug:name>.<slug:fmt>", opendata.dataset_file, name="dataset_file"
    ),
    re_path(r"^01/(?P<path>.*)$", resolver.resolve, name="gs1"),
    path(".well-known/gs1resolver", resolver.well_known, name="gs1_resolver"),
    path("sitemap.xml", meta.sitemap, name="sitemap"),
    path("robots.txt", meta.robots, name="robots"),
    # Signed in: the holder chooses what is published (not a public page).
    path("dong-y-cong-khai/<int:pk>/", consent.consent, name="consent"),
]
