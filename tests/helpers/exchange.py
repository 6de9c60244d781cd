"""Exchange XML as an older system would write it (shared by the exchange tests)."""

from tests.helpers.archival import make_pdf

import base64
import hashlib


NS = "urn:xinfang-archive:exchange:1"


def file_element(
    data,
    name="report.pdf",
    content_type="application/pdf",
    href=None,
    sha256=None,
    size=None,
):
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    size = len(data) if size is None else size
    attrs = (
        f'name="{name}" content-type="{content_type}" size="{size}" sha256="{sha256}"'
    )
    if href:
        return f'<file {attrs} href="{href}"/>'
    return f'<file {attrs} encoding="base64">{base64.b64encode(data).decode()}</file>'


def legacy_case(
    number,
    title="村道破损影响出行",
    channel="letter",
    received="2021-03-04",
    file_xml=None,
    uid=None,
    documents=1,
    extra_metadata="",
    state=None,
):
    """One ``<case>`` as a migration from an older system writes it: current
    metadata and documents, no versions."""
    uid_attr = f' uid="{uid}"' if uid else ""
    docs = ""
    for n in range(documents):
        content = file_xml or file_element(
            make_pdf(1, f"{number} doc {n}"), name=f"doc{n}.pdf"
        )
        docs += f"""
      <document>
        <metadata>
          <title>来信原件{n + 1}</title>
          {content}
          <responsible>王某某</responsible>
          <document_date>{received}</document_date>
          <classification>internal</classification>
          <pages>1</pages>
        </metadata>
      </document>"""
    lifecycle = ""
    if state:
        lifecycle = f"""
    <lifecycle>
      <created>{received}T09:00:00+08:00</created>
      <modified>{received}T10:00:00+08:00</modified>
      <creator>legacy</creator>
      <workflow id="xf_case_workflow" state="{state}">
        <entry state="registered" time="{received}T09:00:00+08:00" actor="legacy"/>
        <entry state="{state}" action="accept" time="{received}T10:00:00+08:00" actor="legacy"><comments>旧系统迁移</comments></entry>
      </workflow>
    </lifecycle>"""
    return f"""
  <case{uid_attr}>
    <metadata>
      <registration_number>{number}</registration_number>
      <title>{title}</title>
      <channel>{channel}</channel>
      <received_date>{received}</received_date>
      <petitioners>
        <petitioner><name>赵六</name><phone>13900001111</phone></petitioner>
      </petitioners>
      <people_count>1</people_count>
      <category>land</category>
      <grade>ordinary</grade>
      <summary>反映村道破损，雨天无法通行。</summary>{extra_metadata}
    </metadata>{lifecycle}
    <documents>{docs}
    </documents>
  </case>"""


def exchange_document(*cases):
    body = "".join(cases)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<exchange xmlns="{NS}" version="1.0" producer="旧信访系统">{body}\n</exchange>\n'
    ).encode()
