"""The case's domain model: plain typed dataclasses, no Qt, no storage.

A case (案件) holds the complainant (the enterprise), the filer (the enterprise itself or an
agent), the targets (被举报信息, one per infringing item), the evidence items (证据) and the
statement. Enumerations use stable English identifiers in data files and the database; their
Chinese and English names live in the translation catalogues under ``enum.<type>.<value>``.

Every dataclass converts to and from plain JSON-compatible dicts (``to_dict`` /
``from_dict``); unknown keys are ignored when reading so that older app versions can open
newer cases read-only, and ``validate()`` methods return a list of problems instead of raising
so that forms can show them inline.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from evidence_app import validators


class Category(StrEnum):
    """Kinds of infringement (网站平台受理处置涉企网络侵权信息举报工作规范 Art. 4, refined)."""

    RUMOUR = "rumour"  # 谣言性 / 虚假不实 (十二)
    MISLEADING = "misleading"  # 误导性 / 断章取义 (十五, explicit)
    INSULT = "insult"  # 侮辱性 / 侮辱谩骂 (十五, explicit)
    COUNTERFEIT_ACCOUNT = "counterfeit_account"  # 仿冒性: accounts (十二)
    COUNTERFEIT_WEBSITE = "counterfeit_website"  # 仿冒性: unregistered websites (十五, explicit)
    EXTORTION = "extortion"  # 恶意集纳 / 敲诈勒索 (十二)
    TROLL_CAMPAIGN = "troll_campaign"  # 网络水军 / 矩阵 (十二)
    PRIVACY_LEAK = "privacy_leak"  # 泄密性: an executive's private data (八)
    OTHER_INTERFERENCE = "other_interference"  # 其他恶意干扰
    # The executive's own rights under (八): impersonation by 姓名、肖像、职务, and
    # defamation (丑化污损肖像, 侮辱谩骂, 诋毁诽谤), beside the data leaks of PRIVACY_LEAK.
    EXECUTIVE_IMPERSONATION = "executive_impersonation"
    EXECUTIVE_DEFAMATION = "executive_defamation"


class SubCategory(StrEnum):
    """Finer kinds the work norm lists under its Art. 4 categories (误导性, 谣言类, 侮辱性).

    Each asks for its own evidence (the pack says which): a re-dated post needs the original
    report with its date beside it, a withdrawn item the notice that withdrew it.
    """

    OUT_OF_CONTEXT = "out_of_context"  # 增删信息、改变顺序、调整结构，曲解新闻原意
    WITHDRAWN = "withdrawn"  # 有关部门、新闻媒体等纠正或撤销的过期信息
    REDATED_OLD_NEWS = "redated_old_news"  # 删减旧闻旧事发生时间、地点和处理结果，重新发布
    EXAGGERATED_TITLE = "exaggerated_title"  # 使用与内容严重不符的夸张标题
    FABRICATED_PRIVATE_LIFE = "fabricated_private_life"  # 虚构企业家隐私生活
    DEFACED_PORTRAIT = "defaced_portrait"  # 涂抹恶搞企业家肖像照片


class DocumentHolder(StrEnum):
    """Whose identity or standing document an exhibit is, so rules can count per person."""

    COMPANY = "company"  # the enterprise (licence, organisation code certificate)
    LEGAL_REPRESENTATIVE = "legal_representative"
    EXECUTIVE = "executive"  # the protected executive (八)
    AGENT = "agent"  # the person filing for the enterprise


class Measure(StrEnum):
    """Measures the complainant asks the platform to take (十一, 二十一)."""

    DELETE = "delete"  # 删除
    BLOCK = "block"  # 屏蔽
    DISCONNECT_LINK = "disconnect_link"  # 断开链接
    TEMPORARY_PRIVATE = "temporary_private"  # 限时加私 (二十一)
    DISPUTE_LABEL = "dispute_label"  # 争议标签 (二十一)
    ACCOUNT_MEASURES = "account_measures"  # 账号处置
    BLACKLIST = "blacklist"  # 纳入黑名单 (十一)
    SOURCE_TRACING = "source_tracing"  # 溯源


class ContentForm(StrEnum):
    """How the infringing information appears (十一)."""

    ARTICLE = "article"
    POST = "post"
    COMMENT = "comment"
    SHORT_VIDEO = "short_video"
    LIVE_STREAM = "live_stream"
    GROUP = "group"
    TOPIC = "topic"
    ACCOUNT = "account"
    SEARCH_LINK = "search_link"
    SEARCH_SNIPPET = "search_snippet"
    SEARCH_SNAPSHOT = "search_snapshot"
    SEARCH_SUGGESTION = "search_suggestion"  # 联想词
    RELATED_SEARCH = "related_search"
    WEBSITE = "website"
    APP = "app"


class AccountRole(StrEnum):
    """The role of the publishing account in the spread of the content."""

    FIRST_POST = "first_post"  # 首发
    FIRST_REPOST = "first_repost"  # 首转
    MULTI_POST = "multi_post"  # 多发
    INCITEMENT = "incitement"  # 煽动


class PriorityType(StrEnum):
    """Enterprise types given priority protection (十三)."""

    PRE_LISTING = "pre_listing"  # 拟上市
    LISTED = "listed"  # 上市
    HIGH_TECH = "high_tech"  # 高新技术企业
    SPECIALISED = "specialised"  # 专精特新


class FilerRole(StrEnum):
    ENTERPRISE = "enterprise"  # the enterprise files itself
    EMPLOYEE = "employee"  # an employee acting as agent
    LAW_FIRM = "law_firm"  # a law firm acting as agent


class EvidenceKind(StrEnum):
    """What an evidence file is. Rule packs name these ids and say which fields each needs."""

    CAPTURE = "capture"  # 截图/录屏 of the infringing content
    ACCOUNT_CAPTURE = "account_capture"  # the account's page: name, avatar, bio
    BUSINESS_LICENCE = "business_licence"  # 营业执照
    ORG_CODE_CERTIFICATE = "org_code_certificate"  # 组织机构代码证 (norm Art. 5(2))
    TRADEMARK_REGISTRATION = "trademark_registration"  # 商标注册证
    ID_DOCUMENT = "id_document"  # 身份证明 (agent, executive)
    POWER_OF_ATTORNEY = "power_of_attorney"  # 授权委托书
    TRUTH_GUARANTEE = "truth_guarantee"  # 真实性承诺书
    SITUATION_STATEMENT = "situation_statement"  # 情况说明 (sealed)
    EXECUTIVE_AUTHORISATION = "executive_authorisation"  # the executive's own authorisation
    AUDIT_REPORT = "audit_report"  # 审计报告
    LEGAL_OPINION = "legal_opinion"  # 法律意见书
    THIRD_PARTY_REPORT = "third_party_report"  # 第三方机构报告
    INDUSTRY_STANDARD = "industry_standard"  # 行业标准
    PUBLIC_PLATFORM_QUERY = "public_platform_query"  # 公共服务平台查询结果
    OFFICIAL_DOCUMENT = "official_document"  # 官方文件
    SOURCE_MEDIA_RECORD = "source_media_record"  # 源发媒体信息
    ORIGINAL_CONTENT = "original_content"  # the full original beside an excerpt
    EXTORTION_DEMAND = "extortion_demand"  # messages, emails, payment requests
    POLICE_REPORT = "police_report"  # 报警回执
    COORDINATION_ANALYSIS = "coordination_analysis"  # analysis of coordinated accounts
    # 存证证书 / 公证书 from an evidence-preservation service or notary, certifying exhibits
    PRESERVATION_CERTIFICATE = "preservation_certificate"
    OTHER = "other"


# Kind-specific fields an evidence item may carry in ``EvidenceItem.fields``. Rule packs say
# which are *required* per kind; these are the ones the forms know how to edit.
EVIDENCE_FIELDS: tuple[str, ...] = (
    "source_url",  # captures, source-media records
    "captured_at",  # captures: ISO 8601 time the capture was taken
    "issuer",  # reports, opinions, official documents, standards
    "issued_at",  # date of issue
    "platform",  # public-service platform queries; captures (the platform shown)
    "queried_at",  # public-service platform queries
    "published_at",  # source-media records
    "reference",  # document or standard number
    "screen",  # screen captures: which screen
    # A capture whose source host differs from its target's: why it still belongs to the
    # target (the same account mirrored on another domain, a short link ...). Empty: it
    # must match.
    "related_reason",
)

DATE_FIELDS = frozenset({"captured_at", "issued_at", "queried_at", "published_at"})
URL_FIELDS = frozenset({"source_url"})


@dataclass
class Problem:
    """A validation problem: the field's path, a message key and its parameters."""

    path: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Executive:
    """A protected executive (企业家, 八): for 泄密性 and executive defamation."""

    name: str = ""
    title: str = ""
    id_number: str = ""

    def validate(self, path: str) -> list[Problem]:
        problems: list[Problem] = []
        if not self.name.strip():
            problems.append(Problem(f"{path}.name", "validation.required"))
        if self.id_number and not validators.is_valid_resident_id(self.id_number):
            problems.append(Problem(f"{path}.id_number", "validation.id_number"))
        return problems


@dataclass
class Complainant:
    """The enterprise whose rights are infringed."""

    name: str = ""
    uscc: str = ""  # 统一社会信用代码, GB 32100-2015
    legal_representative: str = ""
    address: str = ""
    province: str = ""
    city: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    priority_types: list[PriorityType] = field(default_factory=list)
    exchange: str = ""  # for listed companies
    stock_code: str = ""
    executives: list[Executive] = field(default_factory=list)

    def validate(self, path: str = "complainant") -> list[Problem]:
        problems: list[Problem] = []
        for name in ("name", "uscc", "legal_representative", "contact_name", "contact_phone"):
            if not str(getattr(self, name)).strip():
                problems.append(Problem(f"{path}.{name}", "validation.required"))
        if self.uscc.strip() and not validators.is_valid_uscc(self.uscc):
            problems.append(Problem(f"{path}.uscc", "validation.uscc"))
        if self.contact_phone.strip() and not validators.is_plausible_phone(self.contact_phone):
            problems.append(Problem(f"{path}.contact_phone", "validation.phone"))
        if self.contact_email.strip() and not validators.is_plausible_email(self.contact_email):
            problems.append(Problem(f"{path}.contact_email", "validation.email"))
        if PriorityType.LISTED in self.priority_types and not (
            self.exchange.strip() and self.stock_code.strip()
        ):
            problems.append(Problem(f"{path}.stock_code", "validation.listed_needs_code"))
        for i, executive in enumerate(self.executives):
            problems.extend(executive.validate(f"{path}.executives[{i}]"))
        return problems


@dataclass
class Filer:
    """Who files: the enterprise itself, or an agent (employee or law firm)."""

    role: FilerRole = FilerRole.ENTERPRISE
    name: str = ""  # the natural person who files
    organisation: str = ""  # the law firm, when role is law_firm
    licence_number: str = ""  # the lawyer's 执业证号, when role is law_firm
    id_number: str = ""  # 居民身份证号码, GB 11643-1999
    phone: str = ""
    email: str = ""

    @property
    def is_agent(self) -> bool:
        return self.role != FilerRole.ENTERPRISE

    def validate(self, path: str = "filer") -> list[Problem]:
        problems: list[Problem] = []
        if self.is_agent:
            for name in ("name", "id_number", "phone"):
                if not str(getattr(self, name)).strip():
                    problems.append(Problem(f"{path}.{name}", "validation.required"))
            if self.role == FilerRole.LAW_FIRM and not self.organisation.strip():
                problems.append(Problem(f"{path}.organisation", "validation.required"))
        if self.id_number.strip() and not validators.is_valid_resident_id(self.id_number):
            problems.append(Problem(f"{path}.id_number", "validation.id_number"))
        if self.phone.strip() and not validators.is_plausible_phone(self.phone):
            problems.append(Problem(f"{path}.phone", "validation.phone"))
        if self.email.strip() and not validators.is_plausible_email(self.email):
            problems.append(Problem(f"{path}.email", "validation.email"))
        return problems


@dataclass
class Engagement:
    views: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None


@dataclass
class Target:
    """One infringing item (被举报信息): a post, an account, a site, a search suggestion ..."""

    id: str = ""  # stable id within the case: T1, T2 ...
    url: str = ""
    platform: str = ""
    account_name: str = ""
    account_id: str = ""
    content_form: ContentForm = ContentForm.POST
    excerpt: str = ""  # quoted infringing text
    published_at: str = ""  # ISO 8601
    discovered_at: str = ""  # ISO 8601
    ip_location: str = ""  # IP属地 as shown
    engagement: Engagement = field(default_factory=Engagement)
    account_role: AccountRole | None = None
    categories: list[Category] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    response_url: str = ""  # the company's response, for 争议标签
    time_sensitive: bool = False  # spreading fast: 限时加私 may be asked while proof is pending
    facts_settled: bool = True  # False when the facts are still disputed (争议标签)
    notes: str = ""
    # For targets without a URL (a chat group, a live room, an app page): how to find it, e.g.
    # "群号 123456789" or "直播间 ID 88881234, 2026-12-01 20:00 场次". Norm Art. 5(4) accepts
    # "足以准确定位侵权内容的相关信息" instead of a URL.
    locator: str = ""
    subcategories: list[SubCategory] = field(default_factory=list)
    # This target's own part of the statement: a channel's complaint speaks only of its
    # targets, so facts, reasons and demands about one target live with it (the case-wide
    # part stays in Statement).
    facts: str = ""
    reasons: str = ""
    demands: str = ""

    def validate(self, path: str) -> list[Problem]:
        problems: list[Problem] = []
        if (
            not self.url.strip()
            and not self.locator.strip()
            and self.content_form
            not in (
                ContentForm.SEARCH_SUGGESTION,
                ContentForm.RELATED_SEARCH,
            )
        ):
            problems.append(Problem(f"{path}.url", "validation.required"))
        if self.url.strip() and not validators.is_valid_url(self.url):
            problems.append(Problem(f"{path}.url", "validation.url"))
        if self.response_url.strip() and not validators.is_valid_url(self.response_url):
            problems.append(Problem(f"{path}.response_url", "validation.url"))
        if not self.platform.strip():
            problems.append(Problem(f"{path}.platform", "validation.required"))
        if not self.categories:
            problems.append(Problem(f"{path}.categories", "validation.required"))
        for name in ("published_at", "discovered_at"):
            value = getattr(self, name)
            if value and not validators.is_valid_datetime(value):
                problems.append(Problem(f"{path}.{name}", "validation.datetime"))
        return problems


@dataclass
class Redaction:
    """A rectangle to black out in the bundle, in page-relative units (0..1, origin top-left).

    ``page`` is 0 for images; for PDFs the 0-based page index.
    """

    page: int = 0
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    def validate(self, path: str) -> list[Problem]:
        ok = (
            self.page >= 0
            and 0.0 <= self.x < 1.0
            and 0.0 <= self.y < 1.0
            and 0.0 < self.w <= 1.0 - self.x + 1e-9
            and 0.0 < self.h <= 1.0 - self.y + 1e-9
        )
        return [] if ok else [Problem(path, "validation.redaction")]


@dataclass
class TrustedTimestamp:
    """An RFC 3161 timestamp token over an exhibit's original (its SHA-256), as a timestamp
    authority (TSA) issued it. The token (the TSA's whole .tsr reply) and the trust anchor it
    was validated against are stored as blobs; these fields are what the token said."""

    token_sha256: str = ""  # the .tsr reply, stored as a blob
    gen_time: str = ""  # ISO 8601 UTC: the TSA's genTime (the trusted time)
    tsa: str = ""  # the TSA's signing certificate subject, RFC 4514
    tsa_cert_sha256: str = ""
    root_sha256: str = ""  # the trust anchor (PEM blob) the chain was validated against
    root_subject: str = ""
    serial: str = ""  # the token's serial number, hex
    policy: str = ""  # TSA policy OID
    accuracy_seconds: float | None = None
    imported_at: str = ""


@dataclass
class EvidenceItem:
    """One exhibit. The original file is stored unchanged as the blob named by ``sha256``."""

    id: str = ""  # stable id: E + 12 hex digits
    number: int = 0  # exhibit number (1, 2, 3 ...), shown as 证据 N
    kind: EvidenceKind = EvidenceKind.OTHER
    title: str = ""
    proves: str = ""  # 证明对象: what this item proves
    target_ids: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    sha256: str = ""
    sm3: str = ""  # SM3 (GB/T 32905) of the original; empty for exhibits imported before it
    size: int = 0
    original_name: str = ""  # display-safe form of the imported file's name
    media_type: str = "application/octet-stream"  # sniffed from content
    metadata: dict[str, Any] = field(default_factory=dict)  # read from the file at import
    imported_at: str = ""
    redactions: list[Redaction] = field(default_factory=list)
    holder: DocumentHolder | None = None  # whose document (identity and standing papers)
    holder_name: str = ""  # the person's name, when several people's documents are filed
    timestamps: list[TrustedTimestamp] = field(default_factory=list)  # RFC 3161 tokens
    certifies: list[str] = field(default_factory=list)  # preservation certificates: exhibit ids
    # For a sealed, signed scan of a document the app generated (授权委托书, 承诺书 ...): the
    # generated PDF's SHA-256 and its template id, linking the scan to what was printed.
    generated_from: dict[str, str] = field(default_factory=dict)

    @property
    def is_image(self) -> bool:
        return self.media_type.startswith("image/")

    @property
    def is_pdf(self) -> bool:
        return self.media_type == "application/pdf"

    @property
    def label(self) -> str:
        return f"E{self.number:03d}"

    def validate(self, path: str) -> list[Problem]:
        problems: list[Problem] = []
        if not self.title.strip():
            problems.append(Problem(f"{path}.title", "validation.required"))
        if len(self.title) > MAX_TITLE:
            problems.append(Problem(f"{path}.title", "validation.too_long", {"max": MAX_TITLE}))
        for name, value in self.fields.items():
            if name in DATE_FIELDS and value and not validators.is_valid_datetime(value):
                problems.append(Problem(f"{path}.fields.{name}", "validation.datetime"))
            if name in URL_FIELDS and value and not validators.is_valid_url(value):
                problems.append(Problem(f"{path}.fields.{name}", "validation.url"))
        for i, redaction in enumerate(self.redactions):
            problems.extend(redaction.validate(f"{path}.redactions[{i}]"))
        return problems


# The longest exhibit title the bundle's tables and headers lay out (a 2,000-character title
# made every export of the case fail with "Layout failed"); 200 measured fine.
MAX_TITLE = 200


@dataclass
class Statement:
    """The complaint text: facts, reasons, demands (the 情况说明 is rendered from it)."""

    facts: str = ""
    reasons: str = ""
    demands: str = ""


@dataclass
class FollowUp:
    """A submission or reply recorded after export (section 2, step 8)."""

    id: str = ""
    date: str = ""
    channel: str = ""
    reference: str = ""
    event: str = ""  # submitted / reply / deadline / recheck
    notes: str = ""
    deadline: str = ""
    # The targets this submission reported, as their ids separated by commas or spaces
    # ("T1, T3"); empty means all of them. Text like the other fields, so that the follow-up
    # table edits it as a cell.
    targets: str = ""

    def target_ids(self) -> list[str]:
        return [t for t in re.split(r"[\s,，、]+", self.targets) if t]


@dataclass
class Acknowledgement:
    """An advisory the user has read and answered with a reason; it no longer counts as open.

    ``key`` is the check item's key (``CheckItem.key``); the reason is kept on the custody
    log and travels in the packet with the case.
    """

    key: str = ""
    reason: str = ""
    at: str = ""  # ISO 8601
    by: str = ""


@dataclass
class Case:
    """A whole case as one snapshot. The store persists it piece by piece."""

    title: str = ""
    channel: str = ""  # target channel profile id (e.g. cac-12377, weibo)
    complainant: Complainant = field(default_factory=Complainant)
    filer: Filer = field(default_factory=Filer)
    targets: list[Target] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    statement: Statement = field(default_factory=Statement)
    follow_ups: list[FollowUp] = field(default_factory=list)
    created_at: str = ""
    acknowledgements: list[Acknowledgement] = field(default_factory=list)

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)

    def evidence_for(self, target_id: str) -> list[EvidenceItem]:
        return [e for e in self.evidence if target_id in e.target_ids]

    def validate(self) -> list[Problem]:
        problems = self.complainant.validate() + self.filer.validate()
        ids = {t.id for t in self.targets}
        for i, target in enumerate(self.targets):
            problems.extend(target.validate(f"targets[{i}]"))
        for i, item in enumerate(self.evidence):
            problems.extend(item.validate(f"evidence[{i}]"))
            for tid in item.target_ids:
                if tid not in ids:
                    problems.append(
                        Problem(
                            f"evidence[{i}].target_ids", "validation.unknown_target", {"id": tid}
                        )
                    )
        return problems


# --- conversion to and from plain dicts ------------------------------------------------------

T = TypeVar("T")


def to_dict(obj: Any) -> Any:
    """A JSON-compatible form of a model object (enums become their string values)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, StrEnum):
        return obj.value
    if isinstance(obj, list):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    return obj


def from_dict(cls: type[T], data: Any) -> T:
    """Build a model object from ``to_dict`` output; unknown keys are ignored.

    Raises ValueError for an unknown enum value, so that a bad file is refused with a clear
    message by the caller rather than half-loaded.
    """
    if data is None:
        return cls()
    kwargs: dict[str, Any] = {}
    for name, hint in _field_hints(cls):  # type: ignore[arg-type]  # classes are hashable
        if name in data:
            kwargs[name] = _convert(hint, data[name])
    return cls(**kwargs)


@functools.cache
def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """(name, resolved type) of each field; resolving annotations is the slow part of
    loading a case (it was half of the time of loading 200 exhibits), so once per class."""
    import typing

    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


def _convert(hint: Any, value: Any) -> Any:
    import types
    import typing

    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return _convert(inner[0], value)
    if origin is list:
        return [_convert(args[0], v) for v in (value or [])]
    if origin is dict:
        return {str(k): v for k, v in (value or {}).items()}
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return hint(value)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value)  # type: ignore[arg-type]
    if hint is float and isinstance(value, int):
        return float(value)
    return value
