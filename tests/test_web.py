"""docgen serve's page through Starlette's test client: every route, and hostile requests refused."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("python_multipart")

import docx  # noqa: E402  (python-docx: the report is reopened, not only found)
from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from docgen.web.app import create_app  # noqa: E402
from docgen.web.safety import WebSettings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEAM = ROOT / "sample_inputs" / "华东销售一组-2026年10月-团队月报.xlsx"
FOLDER = ROOT / "sample_inputs" / "2026-10-华东销售一组-个人月报"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(tmp_path: Path, **settings) -> TestClient:
    settings.setdefault("work_dir", tmp_path / "work")
    settings.setdefault("library", tmp_path / "library")
    return TestClient(create_app(WebSettings(**settings)), follow_redirects=False)


@pytest.fixture
def client(tmp_path):
    with client_for(tmp_path) as made:
        yield made


def csrf(client: TestClient, lang: str = "") -> str:
    page = client.get("/report" + (f"?lang={lang}" if lang else ""))
    return re.search(r'<meta name="csrf" content="([^"]+)"', page.text).group(1)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def workbook_upload(path: Path = TEAM, field: str = "workbook"):
    return {field: (path.name, path.read_bytes(), XLSX)}


# --- pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/report", "/batch", "/templates", "/templates/explain?period=monthly&level=team"])
def test_each_page_is_chinese_by_default_and_carries_the_safety_headers(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "http://" not in page.text and "https://" not in page.text  # nothing fetched from elsewhere


def test_home_leads_to_the_report_page_and_static_files_are_served(client):
    assert client.get("/").headers["location"] == "/report"
    assert "--accent" in client.get("/static/style.css").text
    assert "readWorkbook" in client.get("/static/app.js").text
    assert client.get("/robots.txt").text.startswith("User-agent")


def test_the_switch_speaks_english_and_is_remembered(client):
    english = client.get("/report?lang=en")
    assert "Make one report" in english.text and english.cookies.get("docgen_lang") == "en"
    assert "Recent batches" in client.get("/batch").text
    assert "本月批量生成" in client.get("/batch?lang=zh").text


def test_an_unknown_page_is_a_page_not_a_traceback(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and "没有这个页面" in page.text


# --- one report ----------------------------------------------------------------------------


def test_reading_the_team_workbook_shows_sheets_findings_and_choice(client):
    part = client.post("/report/inspect", files=workbook_upload(), headers={"X-CSRF-Token": csrf(client)})
    assert part.status_code == 200
    text = text_of(part.text)
    assert "报告信息 报告信息 表名 (报告信息)" in text and "目标达成 目标达成" in text  # each sheet and the section it was taken as
    assert "重点项目 （未知章节" in text  # a sheet docgen does not know still becomes a section
    assert "检查结果" in text and "DG601" in text and "报告信息!B9" in text  # a finding, its sheet and cell
    assert "周期 月报，层级 团队，语言 中文，模板 monthly-team.zh" in text
    assert "monthly-team.zh 的内置模板" in text and "built-in" not in text  # why that template, in the page's words


def test_a_bad_workbook_gets_the_command_lines_message_on_the_page(client, tmp_path):
    from docgen.cli import main

    bad = tmp_path / "月报.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    said = CliRunner().invoke(main, ["workbook", "show", str(bad)], env={"DOCGEN_LANG": "zh"}).output
    message = said.strip().split("：", 1)[1] if said.startswith("错误") else said.strip().split(": ", 1)[1]
    page = client.post("/report/inspect", files=workbook_upload(bad), headers={"X-CSRF-Token": csrf(client)})
    assert page.status_code == 422
    assert message.replace("\n", " ") in text_of(page.text).replace("\n", " ")
    assert str(tmp_path) not in page.text and "Traceback" not in page.text


def test_making_the_report_gives_a_docx_with_its_title_and_figures(client):
    token = csrf(client)
    page = client.post(f"/report/make?csrf={token}", files=workbook_upload(), data={"period": "monthly"})
    assert page.status_code == 200, text_of(page.text)
    link = re.search(r'href="(/results/[0-9a-f]{16}/report\.docx)"', page.text).group(1)
    download = client.get(link)
    assert download.status_code == 200
    assert "filename*=utf-8''%E5%8D%8E%E4%B8%9C" in download.headers["content-disposition"]  # 华东…, the sent name
    document = docx.Document(io.BytesIO(download.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert document.core_properties.title.startswith("华东销售一组")
    assert "2026年10月" in text and "%" in text  # the period and figures stated as rates


def test_a_chosen_template_and_language_are_used(client):
    token = csrf(client)
    page = client.post(f"/report/make?csrf={token}", files=workbook_upload(),
                       data={"lang": "en", "template": "monthly-team.en"})
    assert page.status_code == 200 and "monthly-team.en.docx" in page.text


def test_a_template_key_that_is_a_path_is_not_followed(client):
    token = csrf(client)
    page = client.post(f"/report/make?csrf={token}", files=workbook_upload(), data={"template": "../../etc/passwd"})
    assert page.status_code == 200 and "monthly-team.zh.docx" in page.text  # unknown key: docgen chooses


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is not installed")
def test_the_pdf_and_page_previews_are_made_and_served(client):
    token = csrf(client)
    page = client.post(f"/report/make?csrf={token}", files=workbook_upload(), data={"with_pdf": "on"})
    rid = re.search(r"/results/([0-9a-f]{16})/report\.pdf", page.text).group(1)
    assert client.get(f"/results/{rid}/report.pdf").content.startswith(b"%PDF")
    image = client.get(f"/results/{rid}/page-1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get(f"/results/{rid}/page-999.png").status_code == 404


@pytest.mark.parametrize("path", ["/results/0123456789abcdef/report.docx", "/results/../../etc/passwd",
                                  "/results/zzzz/report.docx", "/results/0123456789abcdef/..%2F..%2Fx"])
def test_a_result_is_found_by_its_id_only(client, path):
    assert client.get(path).status_code == 404


# --- the batch -----------------------------------------------------------------------------


def wait_for(client: TestClient, run_page: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status = client.get(f"{run_page}/status").json()
        if status["state"] != "running":
            return status
        time.sleep(0.3)
    raise AssertionError(f"the run did not finish in {seconds} s")


def manifest_of(client: TestClient, run_page: str) -> tuple[dict, list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{run_page}/documents.zip").content))
    return json.loads(archive.read("manifest.json")), archive.namelist()


def test_a_batch_of_workbooks_runs_and_its_zip_holds_every_report_and_the_manifest(client):
    token = csrf(client)
    files = [("workbooks", (p.name, p.read_bytes(), XLSX)) for p in sorted(FOLDER.glob("*.xlsx"))]
    started = client.post(f"/batch/start?csrf={token}", files=files, data={"rollup": "on"})
    assert started.status_code == 303
    run_page = started.headers["location"]
    assert client.get(run_page).status_code == 200
    status = wait_for(client, run_page)
    assert status["state"] == "done" and status["failures"] == []
    manifest, names = manifest_of(client, run_page)
    assert manifest["summary"]["ok"] == manifest["summary"]["records"] == 5  # four people and the roll-up
    assert sum(name.endswith(".docx") for name in names) == 5 and "manifest.csv" in names
    assert run_page.rsplit("/", 1)[1][:6] in client.get("/batch").text  # listed among the recent runs


def test_a_zip_of_the_folder_is_a_batch_and_bad_members_are_listed_as_failures(client):
    token = csrf(client)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        for path in sorted(FOLDER.glob("*.xlsx")):
            archive.write(path, f"{FOLDER.name}/{path.name}")
        archive.writestr("坏的.xlsx", b"not a workbook")
        archive.writestr("readme.txt", b"ignored")
    started = client.post(f"/batch/start?csrf={token}", files={"workbooks": ("folder.zip", packed.getvalue())})
    status = wait_for(client, started.headers["location"])
    assert status["state"] == "done"
    assert [f["record"] for f in status["failures"]] == ["坏的.xlsx"]
    assert "not an Excel .xlsx workbook" in status["failures"][0]["reason"] or "不是" in status["failures"][0]["reason"]
    assert len([name for name in status["made"] if name.endswith(".docx")]) == 4


def test_one_workbook_split_by_salesperson_with_the_roll_up(client):
    token = csrf(client)
    everyone = ROOT / "sample_inputs" / "华东销售一组-2026年10月-全员明细.xlsx"
    started = client.post(f"/batch/start?csrf={token}", files=workbook_upload(everyone, "workbooks"),
                          data={"split": "on", "rollup": "on", "combine": "on"})
    status = wait_for(client, started.headers["location"])
    assert status["state"] == "done" and status["failures"] == []
    manifest, names = manifest_of(client, started.headers["location"])
    kinds = [record["kind"] for record in manifest["records"]]
    assert kinds.count("rollup") == 1 and kinds.count("report") >= 2
    assert "combined.docx" in names


def test_the_server_removes_its_own_folder_when_it_stops(tmp_path):
    with TestClient(create_app(WebSettings())) as client:
        work = client.app.state.work_dir
        assert work.is_dir()
    assert not work.exists()


def test_names_climbing_out_of_a_zip_are_stored_inside_the_run(client, tmp_path):
    token = csrf(client)
    packed = io.BytesIO()
    escape = tmp_path / "escaped.xlsx"
    with zipfile.ZipFile(packed, "w") as archive:
        member = sorted(FOLDER.glob("*.xlsx"))[0]
        archive.writestr(f"../../../../../../..{escape}", member.read_bytes())
        archive.writestr("../../outside.xlsx", member.read_bytes())
    started = client.post(f"/batch/start?csrf={token}", files={"workbooks": ("evil.zip", packed.getvalue())})
    status = wait_for(client, started.headers["location"])
    assert not escape.exists() and not (tmp_path / "outside.xlsx").exists()
    assert not list((tmp_path / "work").parent.glob("outside.xlsx"))
    assert status["state"] == "done" and status["summary"]["records"] == 2


def test_a_zip_bomb_is_stopped_at_the_unpacking_limit(tmp_path):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("bomb.xlsx", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB unpacked, about 300 KB packed
                member.write(zeros)
    assert len(packed.getvalue()) < 2 << 20
    with client_for(tmp_path, max_unpacked_mb=50) as client:
        token = csrf(client)
        page = client.post(f"/batch/start?csrf={token}", files={"workbooks": ("bomb.zip", packed.getvalue())})
        assert page.status_code == 400 and "解压后太大" in page.text
        unpacked = sum(p.stat().st_size for p in (tmp_path / "work").rglob("*") if p.is_file())
        assert unpacked <= 51 << 20
        assert client.post(f"/batch/start?csrf={token}", files=workbook_upload(field="workbooks")).status_code == 303


def test_a_batch_beyond_the_limit_on_runs_is_told_to_try_again(client):
    token = csrf(client)
    slots = client.app.state.batch_slots
    assert slots.take()
    try:
        page = client.post(f"/batch/start?csrf={token}", files=workbook_upload(field="workbooks"))
        assert page.status_code == 503 and "请稍后再试" in page.text
    finally:
        slots.give_back()


def test_a_report_beyond_the_limit_waits_then_is_told_to_try_again(tmp_path):
    with client_for(tmp_path, max_reports=1, report_wait=0.2) as client:
        token = csrf(client)
        assert client.app.state.report_slots.take()
        page = client.post(f"/report/make?csrf={token}", files=workbook_upload())
        assert page.status_code == 503 and "请稍后再试" in page.text


def test_an_unknown_run_is_not_found(client):
    assert client.get("/batch/0123456789abcdef").status_code == 404
    assert client.get("/batch/0123456789abcdef/status").status_code == 404
    assert client.get("/batch/0123456789abcdef/documents.zip").status_code == 404
    assert client.post(f"/batch/start?csrf={csrf(client)}").status_code == 400  # nothing sent


# --- uploads and tokens --------------------------------------------------------------------


def test_a_100_mb_upload_is_refused_before_it_is_read(client):
    token = csrf(client)
    big = b"\0" * (100 << 20)
    page = client.post(f"/batch/start?csrf={token}", files={"workbooks": ("big.xlsx", big)})
    assert page.status_code == 413 and "最多 40 MB" in page.text
    assert not any((client.app.state.work_dir / "runs").iterdir())


def test_a_body_without_a_length_is_counted_as_it_arrives(tmp_path):
    with client_for(tmp_path, max_upload_mb=1) as client:
        token = csrf(client)

        def chunks():
            for _ in range(4):
                yield b"-" * (1 << 19)

        page = client.post(f"/report/inspect?csrf={token}", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=x"})
        assert page.status_code == 413


def test_too_many_files_at_once_are_refused(tmp_path):
    with client_for(tmp_path, max_files=3) as client:
        token = csrf(client)
        files = [("workbooks", (f"{n}.xlsx", b"x", XLSX)) for n in range(5)]
        page = client.post(f"/batch/start?csrf={token}", files=files)
        assert page.status_code == 413 and "最多 3 个" in page.text


@pytest.mark.parametrize("headers", [{}, {"X-CSRF-Token": "forged"}])
def test_a_change_without_the_csrf_token_is_refused(client, headers):
    csrf(client)
    page = client.post("/report/inspect", files=workbook_upload(), headers=headers)
    assert page.status_code == 403 and "页面已过期" in page.text


def test_a_change_from_another_site_is_refused(client):
    token = csrf(client)
    page = client.post("/report/inspect", files=workbook_upload(),
                       headers={"X-CSRF-Token": token, "Origin": "http://evil.example"})
    assert page.status_code == 403


def test_a_fresh_browser_without_a_session_cannot_post(client):
    page = client.post("/report/inspect?csrf=anything", files=workbook_upload())
    assert page.status_code == 403


def test_the_access_token_is_asked_and_traded_for_a_cookie(tmp_path):
    with client_for(tmp_path, token="a-long-secret") as client:
        assert client.get("/report").status_code == 403
        assert client.get("/report?token=wrong").status_code == 403
        assert client.get("/report", headers={"Authorization": "Bearer wrong"}).status_code == 403
        entered = client.get("/report?token=a-long-secret&lang=en")
        assert entered.status_code == 303 and entered.headers["location"] == "/report?lang=en"
        assert client.get("/report").status_code == 200  # the cookie carries it now
    with client_for(tmp_path, token="a-long-secret") as other:
        assert other.get("/templates", headers={"Authorization": "Bearer a-long-secret"}).status_code == 200


def test_another_host_without_a_token_is_refused():
    with pytest.raises(ValueError):
        WebSettings(host="0.0.0.0")


# --- templates -----------------------------------------------------------------------------


def test_the_library_table_explain_builtin_and_blank(client):
    table = client.get("/templates")
    assert table.text.count("/templates/builtin/") == 30  # 5 periods × 3 levels × 2 languages
    explained = text_of(client.get("/templates/explain?period=quarterly&level=department&language=en").text)
    assert "quarterly-department.en.docx" in explained
    built_in = client.get("/templates/builtin/monthly-team.zh")
    assert docx.Document(io.BytesIO(built_in.content)).paragraphs
    assert client.get("/templates/builtin/..%2F..%2Fetc").status_code == 404
    assert client.get("/templates/builtin/monthly-nobody.zh").status_code == 404
    blank = client.get("/blank?period=weekly&level=team&language=zh")
    assert blank.headers["content-type"] == XLSX and blank.content.startswith(b"PK")


def test_a_template_that_passes_its_check_goes_into_the_library(client, tmp_path):
    token = csrf(client)
    built_in = client.get("/templates/builtin/monthly-team.zh").content
    page = client.post(f"/templates/upload?csrf={token}", files={"template": ("我的.docx", built_in)},
                       data={"period": "monthly", "level": "team", "lang": "zh", "variant": "east"})
    assert page.status_code == 200 and "monthly-team.zh.east.docx" in page.text
    assert (tmp_path / "library" / "monthly-team.zh.east.docx").read_bytes() == built_in
    assert "我的模板库" in client.get("/templates").text


def broken_template(tmp_path: Path, text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "broken.docx"
    document.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("text", ["{{ report.title ", "{% for i in range(10**9) %}{{ i }}{% endfor %}",
                                  "{{ 'x' * 10**10 }}"])
def test_a_template_that_fails_its_check_is_not_saved(client, tmp_path, text):
    token = csrf(client)
    page = client.post(f"/templates/upload?csrf={token}", files={"template": ("t.docx", broken_template(tmp_path, text))},
                       data={"period": "monthly", "level": "team", "lang": "zh"})
    assert "没有通过检查" in page.text and 'id="template-problems"' in page.text
    assert not (tmp_path / "library").exists() or not any((tmp_path / "library").iterdir())


def test_a_template_past_the_render_limits_is_not_saved(client, tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_RENDER_OUTPUT_MB", "1")  # the limit every render runs under, made small to be quick
    token = csrf(client)
    template = broken_template(tmp_path, '{% for i in range(40000) %}{{ "abcdefghij" * 5 }}{% endfor %}')
    page = client.post(f"/templates/upload?csrf={token}", files={"template": ("t.docx", template)},
                       data={"period": "monthly", "level": "team", "lang": "zh"})
    assert "没有通过检查" in page.text and "size limit of 1 MB" in page.text
    assert not (tmp_path / "library").exists() or not any((tmp_path / "library").iterdir())


def test_a_bad_variant_or_no_file_is_told(client):
    token = csrf(client)
    page = client.post(f"/templates/upload?csrf={token}", files={"template": ("t.docx", b"PK")},
                       data={"period": "monthly", "level": "team", "lang": "zh", "variant": "../x"})
    assert "变体名只能用" in page.text
    assert "请先选择一个 .docx" in client.post(f"/templates/upload?csrf={token}", data={"period": "monthly"}).text


# --- the command ---------------------------------------------------------------------------


def test_serve_prints_its_address_and_a_token_for_another_host(monkeypatch):
    from docgen.cli import main

    started = {}
    monkeypatch.setattr("docgen.web.server.serve", lambda settings, open_browser: started.update(
        settings=settings, open_browser=open_browser))
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "9100", "--no-browser"],
                                env={"DOCGEN_LANG": "en"})
    assert result.exit_code == 0, result.output
    token = started["settings"].token
    assert token and len(token) >= 24 and f"http://127.0.0.1:9100/?token={token}" in result.output
    assert started["open_browser"] is False
    result = CliRunner().invoke(main, ["serve", "--no-browser"], env={"DOCGEN_LANG": "en"})
    assert started["settings"].token is None and started["settings"].host == "127.0.0.1"


def test_explain_speaks_the_pages_language(client):
    # The page in Chinese: the candidates, their marks and why the winner won are said in Chinese too.
    chinese = text_of(client.get("/templates/explain?period=monthly&level=team&language=zh&lang=zh").text)
    assert "monthly-team.zh.docx" in chinese and "内置" in chinese and "选用" in chinese
    assert "built-in" not in chinese and "chosen" not in chinese
    english = text_of(client.get("/templates/explain?period=monthly&level=team&language=zh&lang=en").text)
    assert "built-in" in english and "内置" not in english
