"""Notices in the app and by e-mail: stored once per key, mailed after commit, read by their
recipient only, listed on the home page."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from khuyencong.accounts.models import Role
from khuyencong.notifications.models import Notification, NotificationKind
from khuyencong.notifications.services import mark_all_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(make_user):
    return [make_user(Role.COMMUNE_OFFICER, "03985"), make_user(Role.PROVINCE_CENTRE, "14")]


def test_notify_stores_and_mails_after_commit(users, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://khuyencong.sonla.gov.vn"
    with django_capture_on_commit_callbacks(execute=True):
        created = notify(
            [*users, users[0], None],
            NotificationKind.OTHER,
            "Có đợt đăng ký mới",
            "Hạn gửi 10/6/2026.",
            "/ke-hoach/dot-dang-ky/1/",
        )
    assert len(created) == 2  # once per user, whatever the list repeats
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.subject == "[Khuyến công số] Có đợt đăng ký mới"
    assert "Hạn gửi 10/6/2026." in message.body
    assert "https://khuyencong.sonla.gov.vn/ke-hoach/dot-dang-ky/1/" in message.body
    assert Notification.objects.filter(emailed=True).count() == 2


def test_a_dedupe_key_sends_once(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(notify(users, NotificationKind.OTHER, "A", dedupe_key="k1")) == 2
        assert notify(users, NotificationKind.OTHER, "A", dedupe_key="k1") == []
        assert len(notify(users, NotificationKind.OTHER, "A", dedupe_key="k2")) == 2
    assert len(mail.outbox) == 4


def test_list_mark_read_and_home_section(client, users, make_user):
    officer, other = users
    notify([officer], NotificationKind.OTHER, "Thông báo cho xã", url="/ke-hoach/")
    notify([other], NotificationKind.OTHER, "Thông báo riêng của Trung tâm")
    client.force_login(officer)
    home = client.get(reverse("home")).content.decode()
    assert "Thông báo chưa đọc" in home
    assert "Thông báo cho xã" in home
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Thông báo cho xã" in page
    assert "Thông báo riêng của Trung tâm" not in page
    notice = Notification.objects.get(recipient=officer)
    theirs = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("notifications:mark_read", args=[notice.pk]), {"mo": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/ke-hoach/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Thông báo cho xã" not in client.get(reverse("home")).content.decode()
    notify([officer], NotificationKind.OTHER, "Một", url="https://example.com/")
    notify([officer], NotificationKind.OTHER, "Hai")
    latest = Notification.objects.filter(recipient=officer, title="Một").get()
    # An outside link is never followed.
    response = client.post(reverse("notifications:mark_read", args=[latest.pk]), {"mo": "1"})
    assert response["Location"] == reverse("notifications:list")
    assert mark_all_read(user=officer) == 1
    assert not Notification.objects.filter(recipient=officer, read_at__isnull=True).exists()


def test_list_requires_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302


# ------------------------------------------- each reader's language (issue 9, defect 12)
def test_a_message_is_read_in_the_active_language():
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    from khuyencong.notifications.text import Msg, dump, lines, render

    title = Msg(
        "Nhắc hạn: %(round)s — %(when)s (%(date)s)",
        round="Đợt 1",
        when=Msg("còn %(n)s ngày", n=7),
        date="10/06/2026",
    )
    stored = dump(lines(title, Msg.label(gettext_lazy("KCĐP")), "Ghi chú của cán bộ"))
    with translation.override("vi"):
        assert render(stored) == (
            "Nhắc hạn: Đợt 1 — còn 7 ngày (10/06/2026)\nKCĐP\nGhi chú của cán bộ"
        )
    with translation.override("en"):
        english = render(stored)
    assert english.startswith("Deadline reminder: Đợt 1 — 7 day(s) left (10/06/2026)\n")
    assert english.endswith("\nGhi chú của cán bộ")  # what a person wrote stays as written


def test_each_recipient_reads_the_notice_in_their_language(
    users, client, django_capture_on_commit_callbacks, settings
):
    """Regression: a title was rendered once, in the sender's language, and stayed so."""
    from django.utils import translation

    from khuyencong.notifications.text import Msg

    officer, centre = users
    centre.language = "en"
    centre.save(update_fields=["language"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        notify(users, NotificationKind.OTHER, Msg("Giấy chứng nhận số %(n)s bị thu hồi", n=12))
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[officer.email] == "[Khuyến công số] Giấy chứng nhận số 12 bị thu hồi"
    assert subjects[centre.email] == "[Khuyến công số] Certificate no. 12 revoked"
    notice = Notification.objects.get(recipient=centre)
    assert notice.title == "Giấy chứng nhận số 12 bị thu hồi"  # stored in Vietnamese
    client.force_login(centre)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Certificate no. 12 revoked" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Giấy chứng nhận số 12 bị thu hồi" in client.get(reverse("home")).content.decode()


def test_the_language_a_user_chooses_is_kept_for_their_e_mail(users, client, settings):
    officer = users[0]
    client.force_login(officer)
    client.get(reverse("home"))  # no choice made: nothing changes
    officer.refresh_from_db()
    assert officer.language == "vi"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(reverse("home"))
    officer.refresh_from_db()
    assert officer.language == "en"


def test_a_notice_stored_before_message_ids_shows_its_stored_title(users):
    from django.utils import translation

    notice = notify(users[:1], NotificationKind.OTHER, "Thông báo cũ", "Nội dung cũ")[0]
    with translation.override("en"):
        assert (notice.shown_title, notice.shown_body) == ("Thông báo cũ", "Nội dung cũ")
