"""Access-matrix declarations of core's URLs (see accounts/access_matrix.py)."""

from django.core.files.base import ContentFile

from khuyencong.accounts.access_matrix import MATRIX, OTHER_OWNER, Subject, cast, view
from khuyencong.core.models import ExportJob, ExportJobState

MATRIX.public("healthz", "set_language")
MATRIX.page("home", get=view())

#: A finished background export of each user (and of someone else): only its owner sees it.
EXPORT_JOB = Subject("export-job", owned=True)


@MATRIX.builder
def export_jobs(world):
    for label in [a.label for a in cast()] + [OTHER_OWNER]:
        user = world.users[label]
        assignment = user.current_assignment
        job = ExportJob.objects.create(
            kind="co-so",
            filename="co-so-cnnt.csv",
            format="csv",
            state=ExportJobState.DONE,
            created_by=user,
            assignment=assignment,
            unit=assignment.unit,
        )
        job.file.save("xuat.csv", ContentFile(b"\xef\xbb\xbfT\xc3\xaan\r\n"), save=True)
        world.put_owned(EXPORT_JOB, label, job)


MATRIX.object("export_job", EXPORT_JOB, lambda j: {"pk": j.pk}, get=view())
MATRIX.object("export_download", EXPORT_JOB, lambda j: {"pk": j.pk}, get=view())
