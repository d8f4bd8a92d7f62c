"""The command line: a click group with a few verbs. Heavy libraries (OCR models, spaCy,
PDF parsers) load only inside the verbs that read files, so ``intake --help`` is instant.

Exit codes: 0 the outputs were written (findings are not failures); 1 the run itself failed;
2 a bad option or round config; 3 a system program is missing; 4 the received folder cannot
be read; 5 with ``--fail-on-error``, the review was written and has error findings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from intake import __version__
from intake.rules_cmd import rules
from models.errors import IntakeError

EXIT_ERROR_FINDINGS = 5


def _fail(exc: IntakeError) -> None:
    click.echo(f"错误：{exc.message}", err=True)
    sys.exit(exc.exit_code)


def _log_crash(out: Path) -> str:
    """Append the current exception's traceback to OUT/run.log; say where it went."""
    import traceback

    try:
        with (out / "run.log").open("a", encoding="utf-8") as fh:
            fh.write("\nrun failed:\n" + traceback.format_exc())
    except OSError:
        return "请用 --no-progress 重新运行并把输出发给维护人员。"
    return f"详情已写入 {out / 'run.log'}，请把该文件发给维护人员。"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="intake")
def cli() -> None:
    """intake：申报书批量读取、核对与评审表生成。"""


@cli.command()
@click.argument("received_dir", type=click.Path(path_type=Path))
@click.option("--campaign", "-c", required=True, help="批次名（如 shanxi-2021）或 .toml 配置文件路径")
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path))
@click.option("--jobs", "-j", type=int, default=None, help="并行进程数（默认：全部核心）")
@click.option("--ocr", default="rapidocr", show_default=True, help="OCR 引擎：rapidocr 或 tesseract")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="单个文件处理时限（秒）")
@click.option("--no-cache", is_flag=True, help="不使用缓存，全部重新读取")
@click.option("--fail-on-error", is_flag=True, help="存在“错误”级问题时以退出码 5 结束")
@click.option("--progress/--no-progress", default=None, help="显示进度条（默认：终端上显示）")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", help="在本机或 Dask 集群上读取")
@click.option("--scheduler", default=None, help="Dask 调度器地址（tcp://主机:8786）；不写则本机启动 --jobs 个进程")
@click.option("--shared-storage", is_flag=True, help="Dask 工作节点按相同路径读取共享存储上的文件（不传送文件内容）")
@click.option("--memory-limit", type=int, default=None, help="每个读取进程的内存上限（MB，默认 3072；0 不设上限）")
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="缓存目录：按文件内容保存读取结果与 Word 渲染，换输出目录时可共用（默认：输出目录）",
)
def run(
    received_dir: Path,
    campaign: str,
    out_dir: Path,
    jobs: int | None,
    ocr: str,
    timeout: float,
    no_cache: bool,
    fail_on_error: bool,
    progress: bool | None,
    executor: str,
    scheduler: str | None,
    shared_storage: bool,
    memory_limit: int | None,
    cache_dir: Path | None,
) -> None:
    """读取收件目录 RECEIVED_DIR，核对后写出 review.xlsx 与 records.jsonl。"""
    from pydantic import ValidationError

    from extractors.ocr.engines import check_engine
    from intake.options import RunOptions, check_cache, check_out, check_received, option_error
    from intake.pipeline import run as run_pipeline
    from models.campaign import load_campaign

    args = {"received": received_dir, "campaign": campaign, "out": out_dir, "ocr": ocr}
    args |= {"timeout": timeout, "use_cache": not no_cache, "fail_on_error": fail_on_error}
    args |= {"progress": progress} | ({"jobs": jobs} if jobs is not None else {})
    args |= {"executor": executor, "scheduler": scheduler, "shared_storage": shared_storage}
    args |= {"memory_mb": memory_limit or None} if memory_limit is not None else {}
    args |= {"cache_dir": cache_dir} if cache_dir is not None else {}
    try:
        options = RunOptions(**args)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        _fail(option_error(field, args.get(field, first.get("input"))))
    try:
        load_campaign(options.campaign)  # a bad round config is reported before the folders
        check_received(options.received)
        check_out(options.out, options.received)
        if options.cache_dir is not None:
            check_cache(options.cache_dir, options.received)
        check_engine(options.ocr)
        outcome = run_pipeline(options)
    except IntakeError as exc:
        _fail(exc)
    except OSError as exc:  # the outputs could not be written (disk full, removed folder …)
        _fail(
            IntakeError(
                f"运行失败：无法写出结果（{exc.strerror or exc}，{exc.filename or out_dir}），"
                "请检查输出目录的权限与剩余空间后重新运行。"
            )
        )
    except Exception as exc:  # a bug: said in Chinese, the traceback kept in run.log
        _fail(IntakeError(f"运行失败（内部错误 {type(exc).__name__}），{_log_crash(options.out)}"))
    info = outcome.run_info
    counts = info.findings_by_severity
    done = "已写出" if not outcome.current else "输入、批次配置、程序与输出均未改变，沿用已有的"
    click.echo(
        f"{done} {out_dir / 'review.xlsx'} 和 {out_dir / 'records.jsonl'}："
        f"{info.submissions} 份申报，{info.files_total} 个文件（缓存 {info.files_cached}），"
        f"错误 {counts.get('error', 0)}，警告 {counts.get('warning', 0)}，提示 {counts.get('info', 0)}。"
    )
    if options.fail_on_error and outcome.errors:
        sys.exit(EXIT_ERROR_FINDINGS)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--ocr", default="rapidocr", show_default=True, help="OCR 引擎")
def extract(file: Path, ocr: str) -> None:
    """读取单个文件，以 JSON 输出识别出的文档及字段（含来源与置信度）。"""
    from extractors.ocr.engines import check_engine
    from intake.options import OCR_ENGINES, option_error
    from intake.reading import read_file

    if ocr not in OCR_ENGINES:
        _fail(option_error("ocr", ocr))
    try:
        check_engine(ocr)
    except IntakeError as exc:
        _fail(exc)
    result = read_file(file, file.name, ocr_engine=ocr)
    documents = []
    for doc in result.documents:
        fields = {
            key: {
                "value": value.model_dump(mode="json")["value"],
                "raw": value.raw,
                "confidence": round(value.confidence, 3),
                "evidence": [e.model_dump(mode="json", exclude_none=True) for e in value.evidence],
            }
            for key, value in doc.fields.items()
        }
        item = {"kind": doc.kind, "pages": doc.pages, "fields": fields}
        if doc.form_type:
            item["form_type"] = doc.form_type
        if doc.rows:
            item["rows"] = doc.rows
        if doc.sections:
            item["sections"] = [s.title for s in doc.sections]
        documents.append(item)
    payload = {
        "file": str(file),
        "status": result.entry.status,
        "documents": documents,
        "findings": [f.model_dump(mode="json") for f in result.findings],
    }
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


@cli.command()
def campaigns() -> None:
    """列出内置的申报批次配置。"""
    from models.campaign import builtin_campaigns, campaign_summary, load_campaign

    for name in builtin_campaigns():
        try:
            click.echo(campaign_summary(load_campaign(name)))
        except IntakeError as exc:
            click.echo(f"{name}\t配置有误：{exc.message}")


@cli.command()
def schema() -> None:
    """输出 Record（records.jsonl 每行）的 JSON Schema。"""
    from models.records import Record

    click.echo(json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2))


cli.add_command(rules)  # intake rules --campaign NAME (intake/rules_cmd.py)


def main() -> None:
    try:
        code = cli(standalone_mode=False)
    except IntakeError as exc:
        _fail(exc)
    except click.exceptions.Abort:
        click.echo("已中止。", err=True)
        sys.exit(1)
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as exc:  # click ≥ 8.2: bare "intake"
        click.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
        sys.exit(0)
    except click.UsageError as exc:
        # click's own message (English) is kept for the detail; the fix is said in Chinese.
        sub = exc.ctx.command.name if exc.ctx and exc.ctx.command is not cli else None
        where = f"intake {sub} --help" if sub else "intake --help"
        click.echo(f"错误：命令行选项有误（{exc.format_message()}）；请按 {where} 所列用法改正。", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"错误：{exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
