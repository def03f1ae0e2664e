from django.urls import path

from .views import aftercare, entries, jury, products, results, rounds

app_name = "awards"
urlpatterns = [
    # Kỳ bình chọn
    path("", rounds.round_list, name="round_list"),
    path("ky/lap/", rounds.round_create, name="round_create"),
    path("ky/<slug:code>/", rounds.round_detail, name="round_detail"),
    path("ky/<slug:code>/sua/", rounds.round_edit, name="round_edit"),
    path("ky/<slug:code>/gia-han/", rounds.round_extend, name="round_extend"),
    path("ky/<slug:code>/trang-thai/", rounds.round_step, name="round_step"),
    path("ky/<slug:code>/de-xuat/", rounds.forward, name="forward"),
    path("ky/<slug:code>/de-xuat/<int:pk>.xlsx", rounds.shortlist_export, name="shortlist_export"),
    # Hội đồng, giám khảo, chấm điểm
    path("ky/<slug:code>/hoi-dong/", jury.council, name="council"),
    path("ky/<slug:code>/hoi-dong/them/", jury.member_add, name="member_add"),
    path("ky/<slug:code>/hoi-dong/<int:member_pk>/bo/", jury.member_remove, name="member_remove"),
    path(
        "ky/<slug:code>/hoi-dong/<int:member_pk>/vang-mat/",
        jury.member_absence,
        name="member_absence",
    ),
    path("ky/<slug:code>/phan-cong/", jury.assign, name="assign"),
    path("ky/<slug:code>/cham/", jury.judge_home, name="judge_home"),
    path("phieu/<int:pk>/", jury.sheet, name="sheet"),
    # Kết quả, công bố, văn bản, giấy chứng nhận
    path("ky/<slug:code>/ket-qua/", results.results, name="results"),
    path("ky/<slug:code>/ket-qua/gioi-han/", results.results_cap, name="results_cap"),
    path("ky/<slug:code>/ket-qua.xlsx", results.results_xlsx, name="results_xlsx"),
    path("ky/<slug:code>/cong-bo/", results.publish, name="publish"),
    path(
        "ky/<slug:code>/van-ban/<slug:kind>.<slug:fmt>",
        results.round_document,
        name="round_document",
    ),
    path("giay-chung-nhan/", results.certificate_list, name="certificate_list"),
    path("giay-chung-nhan/<int:pk>/", results.certificate_detail, name="certificate_detail"),
    path(
        "giay-chung-nhan/<int:pk>/thu-hoi/", results.certificate_revoke, name="certificate_revoke"
    ),
    path(
        "giay-chung-nhan/<int:pk>/tai.<slug:fmt>",
        results.certificate_file,
        name="certificate_file",
    ),
    # Khiếu nại, báo cáo hằng năm của cơ sở có sản phẩm được chứng nhận
    path("khieu-nai/", aftercare.complaint_list, name="complaint_list"),
    path("ho-so/<int:pk>/khieu-nai/", aftercare.complaint_create, name="complaint_create"),
    path("khieu-nai/<int:pk>/", aftercare.complaint_detail, name="complaint_detail"),
    path("khieu-nai/<int:pk>/giai-quyet/", aftercare.complaint_decide, name="complaint_decide"),
    path("ho-so/<int:pk>/khoa-cham-lai/", aftercare.rescoring_close, name="rescoring_close"),
    path("bao-cao-hang-nam/", aftercare.holder_report_list, name="holder_report_list"),
    path("bao-cao-hang-nam/<int:pk>/", aftercare.holder_report_detail, name="holder_report_detail"),
    # Hồ sơ tham gia
    path("ky/<slug:code>/ho-so/lap/", entries.entry_create, name="entry_create"),
    path("ho-so/<int:pk>/", entries.entry_detail, name="entry_detail"),
    path("ho-so/<int:pk>/sua/", entries.entry_edit, name="entry_edit"),
    path("ho-so/<int:pk>/trang-thai/", entries.entry_step, name="entry_step"),
    # Sản phẩm
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
