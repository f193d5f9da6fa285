"""Document metadata for the bundle: Info, XMP, sRGB output intent, document ID.

Everything derives from the case and the caller's clock, never from the current time, so the
same case and clock give the same bytes. These are the PDF/A-2b prerequisites we can meet
ourselves; whether the whole file conforms also depends on the exhibits (see
``docs/pdf-bundle.md``), so the PDF/A identification is only written when our checks pass.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from functools import cache
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Dictionary, Name
from PIL import ImageCms

from evidence_app import __version__

PRODUCER = f"Evidence App {__version__} (reportlab, img2pdf, qpdf)"


def pdf_date(moment: _dt.datetime) -> str:
    utc = moment.astimezone(_dt.UTC)
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")


def xmp_date(moment: _dt.datetime) -> str:
    return moment.astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by littleCMS, with its creation date pinned (lcms stamps the
    current time, which would make every bundle different)."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[24:36] = bytes([0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0])  # 2000-01-01 00:00:00
    data[84:100] = bytes(16)  # profile ID: zero means "not computed"
    return bytes(data)


def apply(
    pdf: pikepdf.Pdf,
    *,
    title: str,
    author: str,
    subject: str,
    clock: _dt.datetime,
    seed: bytes,
    pdfa: bool,
    lang: str = "zh-CN",
) -> None:
    date = pdf_date(clock)
    pdf.docinfo = pdf.make_indirect(
        Dictionary(
            Title=pikepdf.String(title),
            Author=pikepdf.String(author),
            Subject=pikepdf.String(subject),
            Creator=pikepdf.String(f"Evidence App {__version__}"),
            Producer=pikepdf.String(PRODUCER),
            CreationDate=pikepdf.String(date),
            ModDate=pikepdf.String(date),
        )
    )
    pdf.Root.Lang = pikepdf.String(lang)
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=icc,
            )
        ]
    )
    doc_id = hashlib.sha256(seed).hexdigest()[:32]
    xmp = _xmp(title, author, subject, clock, doc_id, pdfa, lang)
    stream = pikepdf.Stream(pdf, xmp.encode("utf-8"))
    stream.Type = Name.Metadata
    stream.Subtype = Name.XML
    pdf.Root.Metadata = stream
    # qpdf keeps the first ID element; with static_id the second is a constant. The first,
    # derived from the case and clock, tells bundles apart without hashing the whole output.
    first = bytes.fromhex(doc_id)
    pdf.trailer.ID = pikepdf.Array([pikepdf.String(first), pikepdf.String(first)])


def _xmp(
    title: str,
    author: str,
    subject: str,
    clock: _dt.datetime,
    doc_id: str,
    pdfa: bool,
    lang: str,
) -> str:
    date = xmp_date(clock)
    pdfa_block = (
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        "</rdf:Description>"
        if pdfa
        else ""
    )
    t, a, s = escape(title), escape(author), escape(subject)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{s}</rdf:li></rdf:Alt>'
        "</dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{date}</xmp:MetadataDate>"
        f"<xmp:CreatorTool>Evidence App {escape(__version__)}</xmp:CreatorTool>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{escape(PRODUCER)}</pdf:Producer>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
        f"<xmpMM:DocumentID>uuid:{doc_id}</xmpMM:DocumentID>"
        f"<xmpMM:InstanceID>uuid:{doc_id}</xmpMM:InstanceID>"
        "</rdf:Description>"
        f"{pdfa_block}"
        "</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
