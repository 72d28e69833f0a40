"""``kfor-bot news``: the claims in feeds on disk, as text and as the documented JSON."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.app import main
from tests.feed_fixtures import atom, rss


def test_news_prints_each_claim_as_json_with_canonical_names_and_signed_changes(tmp_path: Path, capsys) -> None:
    """The JSON keys the README documents; the Lithuanian brigade and the mission total give no claim."""
    (tmp_path / "de.xml").write_bytes(rss())
    (tmp_path / "en.atom").write_bytes(atom())
    assert main(["news", str(tmp_path / "de.xml"), "--lang", "de", "--tier", "official", "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert [(c["nation"], c["iso3"], c["kind"], c["change"], c["effective"], c["state"]) for c in claims] == [
        ("Germany", "DEU", "increase", 220, "2025-05", "announced"),
        ("Germany", "DEU", "command", None, None, "announced"),
    ]
    assert set(claims[0]) == {"nation", "iso3", "kind", "change", "level", "approximate", "effective", "link",
                              "published", "quote", "state"}  # fmt: skip
    assert main(["news", str(tmp_path / "en.atom")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("United Kingdom: increase +200 from 2025-06-01 [candidate]")


def test_a_year_alone_is_null_in_json_and_kept_in_the_text(tmp_path: Path, capsys) -> None:
    """A year alone ("d'ici 2026") names no month: the JSON's ``effective`` is null, as documented; the text has it."""
    entry = ("https://defense.example/kfor", "1", "La France renforce la KFOR", "La France enverra cent "
             "cinquante soldats supplémentaires au Kosovo d'ici 2026.", "Mon, 03 Mar 2025 10:00:00 GMT")  # fmt: skip
    (tmp_path / "fr.xml").write_bytes(rss([entry]))
    assert main(["news", str(tmp_path / "fr.xml"), "--lang", "fr", "--json"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    assert [(c["nation"], c["change"], c["effective"]) for c in claims] == [("France", 150, None)]
    assert main(["news", str(tmp_path / "fr.xml"), "--lang", "fr"]) == 0
    assert capsys.readouterr().out.startswith("France: increase +150 from 2026")


def test_a_decrease_prints_with_a_true_minus_and_stays_a_number_in_json(tmp_path: Path, capsys) -> None:
    """The text says "−80" with U+2212 as every answer does (#20); ``--json`` keeps the number -80."""
    entry = ("https://mon.example/kfor", "1", "Poland reduces its KFOR contingent", "Poland will withdraw 80 "
             "soldiers from KFOR in Kosovo from May 2025.", "Mon, 03 Mar 2025 10:00:00 GMT")  # fmt: skip
    (tmp_path / "pl.xml").write_bytes(rss([entry]))
    assert main(["news", str(tmp_path / "pl.xml"), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("Poland: decrease −80")
    assert main(["news", str(tmp_path / "pl.xml"), "--lang", "en", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["claims"][0]["change"] == -80


def test_a_feed_that_is_not_one_is_one_line_and_status_1(tmp_path: Path, capsys) -> None:
    """An HTML page instead of a feed: no traceback, one line naming it."""
    (tmp_path / "page.xml").write_text("<html><body>Not a feed</body></html>")
    assert main(["news", str(tmp_path / "page.xml")]) == 1
    assert capsys.readouterr().err == "kfor-bot news: page.xml: not an RSS or Atom feed\n"


async def test_check_reads_the_configured_feeds_and_posts_an_announcement_once(tmp_path: Path) -> None:
    """``kfor-bot check`` with a feed in KFOR_FEEDS: the claim on stdout once; the next list confirms it."""
    import email.utils

    from tests.conftest import ROOT, SEED_FIGURES, snapshot_of
    from tests.process import check

    today = email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True)  # check reads news, not archives
    entry = ("https://bmvg.example/kfor", "1", "Bundeswehr verstärkt KFOR", "Die Bundeswehr entsendet "
             "zweihundertzwanzig zusätzliche Soldatinnen und Soldaten in den Kosovo.", today)  # fmt: skip
    (tmp_path / "feed.xml").write_bytes(rss([entry]))
    feeds = json.dumps([{"url": str(tmp_path / "feed.xml"), "lang": "de", "publisher": "BMVg", "tier": "official"}])
    env = {"KFOR_FEEDS": feeds}
    report = tmp_path / "report.json"
    report.write_text((ROOT / "data" / "snapshots" / "kfor" / "2025-02.json").read_text())
    args = ["--source", str(report), "--db", f"sqlite:///{tmp_path / 'k.db'}"]
    status, out, err = await check(*args, env=env)
    assert status == 0, err
    assert "Announced — not yet official" in out and "Germany: +220 troops — a claim by an official source" in out
    assert "feeds: 1 read, 0 unchanged, 1 claim(s), 1 announced" in err
    status, out, err = await check(*args, env=env)
    assert status == 0 and "Announced" not in out
    assert "feeds: 1 read, 0 unchanged, 0 claim(s), 0 announced" in err  # a file has no 304: read, nothing new
    report.write_text(snapshot_of(dict(SEED_FIGURES, Germany=489), "2025-07").to_json())
    status, out, err = await check(*args, env=env)
    assert status == 0, err
    # The digest says what its list settled; the settled announcement follows it (the console cannot edit).
    assert "Announcement #1 (Germany: +220 troops): confirmed" in out
    assert "Confirmed by the official figures · #1" in out


async def test_check_posts_an_announcement_to_its_webhook_once(tmp_path: Path) -> None:
    """The same run to a Discord webhook (a receiver on 127.0.0.1): the announcement arrives once, pinging no one."""
    import email.utils

    from tests.conftest import ROOT
    from tests.process import check
    from tests.webhook_receiver import receive_webhooks

    today = email.utils.format_datetime(dt.datetime.now(dt.UTC), usegmt=True)
    entry = (
        "https://mod.example/uk",
        "1",
        "UK reinforces KFOR",
        "The UK will deploy 200 more troops to Kosovo.",
        today,
    )
    (tmp_path / "feed.xml").write_bytes(rss([entry]))
    feeds = json.dumps([{"url": str(tmp_path / "feed.xml"), "lang": "en", "publisher": "MOD", "tier": "official"}])
    source = str(ROOT / "data" / "snapshots" / "kfor" / "2025-02.json")
    async with receive_webhooks() as webhook:
        env = {"KFOR_FEEDS": feeds, "KFOR_DISCORD_API_BASE": webhook.api_base}
        args = ["--source", source, "--db", f"sqlite:///{tmp_path / 'k.db'}", "--webhook", webhook.url]
        for _ in range(2):
            status, _out, err = await check(*args, env=env)
            assert status == 0, err
    (post,) = webhook.posts
    embed = post["embeds"][0]
    assert embed["title"] == "Announced — not yet official · #1"
    assert embed["description"].startswith("**🇬🇧 United Kingdom: +200 troops** — a claim by an official source (MOD)")
    assert post.get("allowed_mentions", {}).get("parse") == []
