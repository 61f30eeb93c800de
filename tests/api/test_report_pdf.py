"""The progress report as PDF, made by LibreOffice from the .docx, linked from the plan's page; where
LibreOffice is missing, a plain answer in Vietnamese saying to take the .docx."""
import pytest

from engine.files import office

from .test_review_loop import launch_249
from .test_web_pages import page_client


@pytest.mark.skipif(office.libreoffice() is None, reason="LibreOffice is not installed (apt-get install "
                    "libreoffice-writer-nogui; .ci/run installs it)")
def test_the_plan_page_links_the_report_and_its_pdf_is_a_pdf(as_user):
    plan, _ = launch_249(as_user("dieuphoi"), key="qng-249-report-pdf")
    page = page_client(as_user, "dieuphoi").get(f"/plans/{plan['id']}").get_data(as_text=True)
    link = f"/api/v1/plans/{plan['id']}/report?format=pdf"
    assert f'href="{link}"' in page and "Báo cáo tiến độ:" in page
    pdf = as_user("dieuphoi").get(link)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert "249-KH-BCD138.pdf" in pdf.headers["Content-Disposition"]


def test_without_libreoffice_the_pdf_is_refused_in_words(as_user, monkeypatch):
    plan, _ = launch_249(as_user("dieuphoi"), key="qng-249-report-nopdf")
    monkeypatch.setattr(office, "libreoffice", lambda: None)
    refused = as_user("dieuphoi", language=None).get(f"/api/v1/plans/{plan['id']}/report?format=pdf")
    assert refused.status_code == 501
    assert refused.get_json()["detail"].startswith("máy chủ này không tạo được tệp PDF (chưa cài LibreOffice)")
