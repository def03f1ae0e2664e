"""The selection's models (bình chọn sản phẩm CNNT tiêu biểu), one module per concern."""

from .certificates import (
    STATUS_LABELS,
    Certificate,
    CertificateQuerySet,
    Complaint,
    ComplaintStatus,
    HolderReport,
)
from .common import LevelRule, Region, RegionProvince, SelectionFund, SelectionLevel
from .jury import (
    ON_JURY,
    ConflictDeclaration,
    CouncilMember,
    CouncilRole,
    ScoreSheet,
    SheetStatus,
)
from .products import (
    REQUIRED_VIEWS,
    PaperKind,
    PhotoView,
    Product,
    ProductPaper,
    ProductPhoto,
)
from .rounds import (
    OFFICE_ROLES,
    Entry,
    EntryStatus,
    EntryTransition,
    Forwarding,
    RoundExtension,
    RoundStatus,
    RoundTransition,
    SelectionRound,
)

__all__ = [
    "OFFICE_ROLES",
    "ON_JURY",
    "REQUIRED_VIEWS",
    "STATUS_LABELS",
    "Certificate",
    "CertificateQuerySet",
    "Complaint",
    "ComplaintStatus",
    "ConflictDeclaration",
    "CouncilMember",
    "CouncilRole",
    "Entry",
    "EntryStatus",
    "EntryTransition",
    "Forwarding",
    "HolderReport",
    "LevelRule",
    "PaperKind",
    "PhotoView",
    "Product",
    "ProductPaper",
    "ProductPhoto",
    "Region",
    "RegionProvince",
    "RoundExtension",
    "RoundStatus",
    "RoundTransition",
    "ScoreSheet",
    "SelectionFund",
    "SelectionLevel",
    "SelectionRound",
    "SheetStatus",
]
