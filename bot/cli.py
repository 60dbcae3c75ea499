"""The `parentbot` command: build, check, evaluate (and more as features land)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from bot import paths
from bot.cli_staff import register as register_staff


def quiet_tensorflow() -> None:
    # TensorFlow's CUDA/TensorRT notices at import are harmless here and alarm users.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


def quiet_rasa(level: int = 30) -> None:
    from bot.rasa_ext.logs import quiet_rasa as configure  # imports Rasa (seconds): only for commands using it

    configure(level)


def cmd_build(args: argparse.Namespace) -> int:
    from bot.training.build import build
    from bot.training.compile import CompileError

    quiet_rasa(20)
    try:
        build(force=args.force, prepare=not args.train_only, train=not args.no_train)
    except CompileError as err:
        print("parentbot build: content has errors, nothing was written:", file=sys.stderr)
        for e in err.errors:
            print(f"  {e}", file=sys.stderr)
        return 1
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.answers.checks import check_all, check_signposts
    from bot.answers.loader import load_answers, load_signposts
    from bot.answers.replies import check_replies
    from bot.languages.gate import check_translations

    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    answers, errors = load_answers(Path(args.content))
    signposts, signpost_errors = load_signposts(Path(args.content))
    n_replies, reply_findings = check_replies(Path(args.content))
    findings = check_all(answers, errors, today) + check_signposts(signposts, signpost_errors, today) + reply_findings
    findings += check_translations(Path(args.content), print)  # per language: review status and SMS cost
    for finding in findings:
        print(finding)
    n_errors = sum(f.level == "error" for f in findings)
    n_warnings = len(findings) - n_errors
    if Path(args.content).resolve() == paths.CONTENT.resolve():
        from bot.training.build import retrain_needed

        if retrain_needed(answers):
            print(
                "warning: example questions changed since the model was trained: run `parentbot build` "
                "(wording changes are live without it)"
            )
            n_warnings += 1
    print(
        f"parentbot check: {len(answers) + len(errors)} answers, {len(signposts) + len(signpost_errors)} signposts, "
        f"{n_replies} reply templates, {n_errors} errors, {n_warnings} warnings"
    )
    return 1 if n_errors else 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from bot.training import evaluate
    from bot.training.build import build

    quiet_rasa()
    if not paths.MODEL.exists():
        build()
    try:
        from bot.languages.screen import with_languages
        from bot.risk.screening import evaluation_risk

        risk_of = with_languages(evaluation_risk())
    except ImportError:
        risk_of = None
    from bot.answers.loader import load_signposts
    from bot.answers.runtime import answer_hints, most_asked, topic_words
    from bot.answers.signposts import SignpostIndex

    signposts = SignpostIndex(load_signposts(paths.CONTENT)[0])
    spell = None
    if args.spelling:
        from bot.training.spelling import Speller

        spell = Speller.from_content(paths.CONTENT).correct
    result = evaluate.run(
        Path(args.file), paths.MODEL, risk_of, signposts, most_asked(), answer_hints(), spell, topic_words()
    )
    print(evaluate.table(result))
    print(json.dumps(result))
    if args.figures and args.figures.startswith("questions_"):
        # Issue 14's set: docs/figures/questions.json, keys tune, test and tune_spelling (README "Evaluation").
        evaluate.save_question_figures(
            args.figures.removeprefix("questions_"), result, paths.ROOT / "docs" / "figures" / "questions.json"
        )
    elif args.figures:
        texts = [c.text for c in evaluate.read_cases(Path(args.file))]
        evaluate.save_figures(
            args.figures,
            result,
            paths.ROOT / "docs" / "figures" / "evaluation.json",
            dt.date.today().isoformat(),
            texts,
        )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.serve import Stack, run_forever

    stack = Stack()
    stack.rasa_port = args.rasa_port or stack.rasa_port
    stack.action_port = args.action_port or stack.action_port
    stack.staff_port = args.staff_port or stack.staff_port
    stack.model = Path(args.model) if args.model else stack.model
    return run_forever(stack)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from bot.settings import get_settings
    from bot.storage.db import upgrade

    url = args.url or get_settings().DATABASE_URL
    upgrade(url, args.revision)
    print(f"parentbot db upgrade: the database is at {args.revision}")
    return 0


def cmd_telegram_set_webhook(args: argparse.Namespace) -> int:
    import asyncio

    from bot.settings import get_settings
    from channels.telegram.sender import set_webhook

    settings = get_settings()
    if not settings.TELEGRAM_BOT_TOKEN:
        print("parentbot telegram set-webhook: TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 1
    if not settings.PUBLIC_URL.startswith("https://"):
        print("parentbot telegram set-webhook: Telegram only calls https:// webhooks; set PUBLIC_URL", file=sys.stderr)
        return 1
    url, secret = asyncio.run(set_webhook(settings))
    print(f"Telegram will post updates to {url}")
    print("Put this line in .env (it is shown only now) and restart the server:")
    print(f"TELEGRAM_WEBHOOK_SECRET={secret}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")  # no display on a server or in cron
    from bot.reports import report, report_data

    start, end = dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to)
    if end < start:
        print("parentbot report: --to is before --from", file=sys.stderr)
        return 1
    index = report.write(report_data.build(start, end), Path(args.out))
    print(f"parentbot report: {index}")
    return 0


def cmd_staff_serve(args: argparse.Namespace) -> int:
    from staff.app import serve  # the staff app's own process (never the Rasa server's)

    serve(args.host, args.port)
    return 0


def cmd_outbox(args: argparse.Namespace) -> int:
    from channels.outbox_process import main as run_outbox

    return run_outbox()


def forget_target(args: argparse.Namespace) -> tuple[str, str]:
    """(channel, sender id) as the channels store them: SMS numbers in E.164, Telegram chat ids as text."""
    if args.phone:
        import phonenumbers

        number = phonenumbers.parse(args.phone, "GB")
        return "sms", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if args.telegram_id:
        return "telegram", str(args.telegram_id)
    return args.channel, args.sender


def cmd_forget(args: argparse.Namespace) -> int:
    from bot.privacy.forget import forget
    from bot.storage.trackerdb import TrackerStoreUnavailable

    channel, sender = forget_target(args)
    try:
        erased = forget(channel, sender)
    except TrackerStoreUnavailable as err:
        print(f"parentbot forget: NOT done, nothing was deleted: {err}", file=sys.stderr)
        return 1
    for table, count in sorted(erased.deleted.items()):
        print(f"  {table}: {count} deleted")
    print(f"parentbot forget: done; escalations kept on records hold: {erased.held_escalations or 'none'}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from bot.privacy.forget import retention
    from bot.storage.trackerdb import TrackerStoreUnavailable

    try:
        erased = retention(days=args.days)
    except TrackerStoreUnavailable as err:
        print(f"parentbot retention: NOT done, nothing was deleted: {err}", file=sys.stderr)
        return 1
    for table, count in sorted(erased.deleted.items()):
        print(f"  {table}: {count} deleted")
    print("parentbot retention: done")
    return 0


def main(argv: list[str] | None = None) -> int:
    quiet_tensorflow()
    parser = argparse.ArgumentParser(prog="parentbot", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="compile content/ and train when training data changed")
    p.add_argument("--force", action="store_true", help="train even if nothing changed")
    stage = p.add_mutually_exclusive_group()
    # `make test` runs the two stages apart, so the checks and the tests that need no model run while it trains.
    stage.add_argument("--no-train", action="store_true", help="everything but the answer model (seconds)")
    stage.add_argument("--train-only", action="store_true", help="only the answer model, after --no-train")
    p.set_defaults(func=cmd_build)
    p = sub.add_parser("check", help="the editor's gate: schema, reading age, SMS length, sources, review dates")
    p.add_argument("--content", default=str(paths.CONTENT))
    p.add_argument("--today", help="check as if today were this date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("evaluate", help="accuracy on a JSONL evaluation file")
    p.add_argument("file")
    p.add_argument(
        "--figures",
        choices=["eval", "redflags", "questions_tune", "questions_test", "questions_tune_spelling"],
        help="also write the README's figures under this key",
    )
    p.add_argument("--spelling", action="store_true", help="correct spelling first (symspellpy; a measurement)")
    p.set_defaults(func=cmd_evaluate)
    p = sub.add_parser("run", help="start the action server, Rasa server, staff app and outbox worker")
    # Defaults 5005, 5055, 5006 and models/parentbot.tar.gz (bot/serve.py); the tests run it on free ports.
    for role in ("rasa", "action", "staff"):
        p.add_argument(f"--{role}-port", type=int, default=0)
    p.add_argument("--model", help="the trained model file")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("telegram", help="Telegram set-up")
    tg = p.add_subparsers(dest="telegram_command", required=True)
    p = tg.add_parser("set-webhook", help="register PUBLIC_URL's webhook with Telegram and print a new secret")
    p.set_defaults(func=cmd_telegram_set_webhook)
    p = sub.add_parser("db", help="the project's database (Alembic migrations)")
    db_sub = p.add_subparsers(dest="db_command", required=True)
    p = db_sub.add_parser("upgrade", help="apply the migrations in bot/storage/migrations to DATABASE_URL")
    p.add_argument("--url", help="another SQLAlchemy URL than DATABASE_URL")
    p.add_argument("--revision", default="head")
    p.set_defaults(func=cmd_db_upgrade)
    staff_sub = register_staff(sub)
    p = staff_sub.add_parser("serve", help="the staff app (inbox, report) as its own process")
    p.add_argument("--host", default="127.0.0.1", help="loopback unless a TLS proxy on another host fronts it")
    p.add_argument("--port", type=int, default=5006)
    p.set_defaults(func=cmd_staff_serve)
    p = sub.add_parser("outbox", help="deliver staff alerts and health visitors' replies (its own process)")
    p.set_defaults(func=cmd_outbox)
    p = sub.add_parser("report", help="the service managers' theme report: HTML, charts and CSV files")
    p.add_argument("--from", dest="date_from", required=True, help="first day, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="last day (included), YYYY-MM-DD")
    p.add_argument("--out", required=True, help="folder to write index.html, *.png and *.csv into")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("forget", help="delete one family's conversation data (a data-rights request)")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--phone", help="the SMS number, any UK format")
    who.add_argument("--telegram-id", help="the Telegram chat id")
    who.add_argument("--sender", help="a sender id on --channel (e.g. the web chat's)")
    p.add_argument("--channel", default="webchat", help="with --sender (default webchat)")
    p.set_defaults(func=cmd_forget)
    p = sub.add_parser("retention", help="delete conversation data older than RETENTION_DAYS (run daily)")
    p.add_argument("--days", type=int, help="override RETENTION_DAYS")
    p.set_defaults(func=cmd_retention)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
