"""Which files a check reads: suffixes, excludes, .gitignore, symlinks, errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from trustlint.discovery import DEFAULT_EXCLUDE, compile_glob, discover, glob_matches
from trustlint.model import FileError


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<p>hi</p>\n", encoding="utf-8")


def found(root: Path, *paths: str, **kwargs) -> list[str]:
    files, errors = discover(list(paths) or ["."], cwd=root, **kwargs)
    assert errors == []
    return [p.as_posix() for p in files]


needs_symlinks = pytest.mark.skipif(
    not hasattr(os, "symlink") or os.name == "nt", reason="needs POSIX symlinks"
)


class TestSuffixes:
    def test_walks_into_known_suffixes_only(self, tmp_path):
        make(
            tmp_path,
            "index.html",
            "b.htm",
            "c.XHTML",
            "docs/guide.md",
            "docs/more.Markdown",
            "notes.txt",
            "style.css",
            "app.js",
            "README",
        )
        assert found(tmp_path) == [
            "b.htm",
            "c.XHTML",
            "docs/guide.md",
            "docs/more.Markdown",
            "index.html",
            "notes.txt",
        ]

    def test_explicit_file_with_odd_suffix_is_checked(self, tmp_path):
        make(tmp_path, "page.php", "template.jinja")
        assert found(tmp_path, "page.php") == ["page.php"]
        assert found(tmp_path, "template.jinja", "page.php") == ["page.php", "template.jinja"]

    def test_output_is_sorted_and_deduplicated(self, tmp_path):
        make(tmp_path, "b/z.md", "a/y.md", "a.html", "a/b/x.md")
        result = found(tmp_path, "b", ".", "a/y.md", "./a.html")
        # Sorted by path components, so a folder's files stay together.
        assert result == ["a/b/x.md", "a/y.md", "a.html", "b/z.md"]


class TestSkipped:
    def test_hidden_folder_skipped(self, tmp_path):
        make(tmp_path, ".hidden/page.html", ".github/ISSUE.md", "shown/page.html")
        assert found(tmp_path) == ["shown/page.html"]

    def test_named_hidden_folder_is_walked(self, tmp_path):
        make(tmp_path, ".github/ISSUE.md", ".github/.deeper/x.md")
        assert found(tmp_path, ".github") == [".github/ISSUE.md"]

    def test_hidden_file_is_not_a_hidden_folder(self, tmp_path):
        make(tmp_path, ".draft.md")
        assert found(tmp_path) == [".draft.md"]

    def test_git_and_node_modules_always_skipped(self, tmp_path):
        make(tmp_path, ".git/description.txt", "node_modules/pkg/README.md", "ok.md")
        assert found(tmp_path, exclude=[]) == ["ok.md"]

    def test_default_excludes(self, tmp_path):
        for name in DEFAULT_EXCLUDE:
            make(tmp_path, f"{name}/page.html")
        make(tmp_path, "src/build/page.html", "keep/page.html")
        assert found(tmp_path) == ["keep/page.html"]

    def test_exclude_replaces_defaults(self, tmp_path):
        make(tmp_path, "build/page.html", "drafts/old.md", "keep.md")
        assert found(tmp_path, exclude=["drafts"]) == ["build/page.html", "keep.md"]

    def test_extend_exclude_adds_to_defaults(self, tmp_path):
        make(tmp_path, "build/page.html", "drafts/old.md", "keep.md")
        assert found(tmp_path, extend_exclude=["drafts"]) == ["keep.md"]

    @pytest.mark.parametrize(
        ("glob", "expected"),
        [
            ("*.txt", ["a.md", "site/b.html", "site/legacy/c.html", "site/legacy/deep/d.md"]),
            ("legacy", ["a.md", "notes.txt", "site/b.html"]),
            ("site/legacy", ["a.md", "notes.txt", "site/b.html"]),
            ("site/legacy/**", ["a.md", "notes.txt", "site/b.html"]),
            ("site/*.html", ["a.md", "notes.txt", "site/legacy/c.html", "site/legacy/deep/d.md"]),
            ("**/*.md", ["notes.txt", "site/b.html", "site/legacy/c.html"]),
            ("./site/legacy/", ["a.md", "notes.txt", "site/b.html"]),
            ("deep", ["a.md", "notes.txt", "site/b.html", "site/legacy/c.html"]),
            ("sit?", ["a.md", "notes.txt"]),
            ("[ab].*", ["notes.txt", "site/legacy/c.html", "site/legacy/deep/d.md"]),
        ],
    )
    def test_exclude_globs(self, tmp_path, glob, expected):
        make(
            tmp_path,
            "a.md",
            "notes.txt",
            "site/b.html",
            "site/legacy/c.html",
            "site/legacy/deep/d.md",
        )
        assert found(tmp_path, exclude=[glob]) == expected

    def test_relative_globs_are_anchored_at_root(self, tmp_path):
        make(tmp_path, "site/legacy/c.html", "site/new.html")
        # Run from site/, config in tmp_path: "site/legacy" still means that folder.
        files, _ = discover(["."], exclude=["site/legacy"], cwd=tmp_path / "site", root=tmp_path)
        assert [p.as_posix() for p in files] == ["new.html"]

    def test_explicit_file_is_excluded_by_glob(self, tmp_path):
        make(tmp_path, "vendor/lib/x.html", "dist/index.html", "mine.html")
        assert found(tmp_path, "vendor/lib/x.html", "mine.html", exclude=["vendor"]) == [
            "mine.html"
        ]
        assert found(tmp_path, "vendor/lib/x.html", exclude=["vendor/lib"]) == []
        assert found(tmp_path, "dist/index.html") == []  # a default exclude

    def test_named_folder_is_walked_even_if_excluded(self, tmp_path):
        make(tmp_path, "dist/index.html", "dist/build/x.html")
        assert found(tmp_path, "dist") == ["dist/index.html"]


class TestGitignore:
    def test_gitignored_file_skipped(self, tmp_path):
        make(tmp_path, "keep.html", "secret.html", "gen/out.html", "a/tmp.md")
        (tmp_path / ".gitignore").write_text("secret.html\ngen/\n*.md\n")
        assert found(tmp_path) == ["keep.html"]

    def test_respect_gitignore_false(self, tmp_path):
        make(tmp_path, "keep.html", "secret.html")
        (tmp_path / ".gitignore").write_text("secret.html\n")
        assert found(tmp_path, respect_gitignore=False) == ["keep.html", "secret.html"]

    def test_nested_gitignore_and_negation(self, tmp_path):
        make(tmp_path, "docs/a.md", "docs/keep.md", "docs/sub/b.md", "top.md")
        (tmp_path / ".gitignore").write_text("*.md\n!top.md\n")
        (tmp_path / "docs" / ".gitignore").write_text("!keep.md\n")
        assert found(tmp_path) == ["docs/keep.md", "top.md"]

    def test_anchored_pattern_is_relative_to_its_file(self, tmp_path):
        make(tmp_path, "docs/out.md", "docs/sub/out.md", "out.md")
        (tmp_path / "docs" / ".gitignore").write_text("/out.md\n")
        assert found(tmp_path) == ["docs/sub/out.md", "out.md"]

    def test_parent_gitignore_up_to_repo_root(self, tmp_path):
        (tmp_path / ".git").mkdir()
        (tmp_path / ".gitignore").write_text("*.draft.md\n")
        make(tmp_path, "site/docs/a.draft.md", "site/docs/b.md")
        files, _ = discover(["site/docs"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/docs/b.md"]
        # Run from inside the folder too.
        files, _ = discover(["."], cwd=tmp_path / "site" / "docs")
        assert [p.as_posix() for p in files] == ["b.md"]

    def test_gitignore_above_the_repo_root_is_not_read(self, tmp_path):
        (tmp_path / ".gitignore").write_text("*.md\n")
        (tmp_path / "repo" / ".git").mkdir(parents=True)
        make(tmp_path, "repo/a.md")
        assert found(tmp_path / "repo") == ["a.md"]

    def test_git_info_exclude(self, tmp_path):
        (tmp_path / ".git" / "info").mkdir(parents=True)
        (tmp_path / ".git" / "info" / "exclude").write_text("private.md\n")
        make(tmp_path, "sub/private.md", "sub/public.md")
        files, _ = discover(["sub"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["sub/public.md"]

    def test_named_ignored_folder_is_checked(self, tmp_path):
        (tmp_path / ".git").mkdir()
        (tmp_path / ".gitignore").write_text("public/\n")
        make(tmp_path, "public/index.html", "src/page.md")
        assert found(tmp_path) == ["src/page.md"]
        files, _ = discover(["public"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["public/index.html"]

    def test_named_ignored_file_is_checked(self, tmp_path):
        make(tmp_path, "secret.html")
        (tmp_path / ".gitignore").write_text("secret.html\n")
        assert found(tmp_path, "secret.html") == ["secret.html"]


@needs_symlinks
class TestSymlinks:
    def test_symlink_loop_terminates(self, tmp_path):
        make(tmp_path, "site/page.html")
        (tmp_path / "site" / "loop").symlink_to(tmp_path / "site")
        (tmp_path / "site" / "up").symlink_to(tmp_path)
        files, errors = discover(["site"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/page.html"]
        assert errors == []

    def test_mutual_loop(self, tmp_path):
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        (tmp_path / "a" / "to_b").symlink_to(tmp_path / "b")
        (tmp_path / "b" / "to_a").symlink_to(tmp_path / "a")
        make(tmp_path, "a/x.md")
        assert found(tmp_path) == ["a/x.md"]

    def test_file_symlink_followed(self, tmp_path):
        make(tmp_path, "outside/real.html")
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "link.html").symlink_to(tmp_path / "outside" / "real.html")
        files, _ = discover(["site"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/link.html"]

    def test_same_file_twice_is_listed_once(self, tmp_path):
        make(tmp_path, "real.html")
        (tmp_path / "alias.html").symlink_to(tmp_path / "real.html")
        assert found(tmp_path) == ["alias.html"]

    def test_folder_symlink_followed(self, tmp_path):
        make(tmp_path / "elsewhere", "doc.md")
        (tmp_path / "site").mkdir()
        (tmp_path / "site" / "docs").symlink_to(tmp_path / "elsewhere")
        files, _ = discover(["site"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/docs/doc.md"]

    def test_broken_symlink_named(self, tmp_path):
        (tmp_path / "gone.html").symlink_to(tmp_path / "nowhere.html")
        files, errors = discover(["gone.html"], cwd=tmp_path)
        assert files == []
        assert errors == [FileError("gone.html", "no such file or directory")]

    def test_broken_symlink_in_folder(self, tmp_path):
        make(tmp_path, "site/ok.html")
        (tmp_path / "site" / "gone.html").symlink_to(tmp_path / "nowhere.html")
        (tmp_path / "site" / "gone.png").symlink_to(tmp_path / "nowhere.png")
        files, errors = discover(["site"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/ok.html"]
        assert errors == [FileError("site/gone.html", "no such file or directory")]


class TestErrorsAndPaths:
    def test_missing_path(self, tmp_path):
        make(tmp_path, "ok.md")
        files, errors = discover(["ok.md", "missing.html", "nope/"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["ok.md"]
        assert errors == [
            FileError("missing.html", "no such file or directory"),
            FileError("nope", "no such file or directory"),
        ]

    def test_unreadable_folder(self, tmp_path, monkeypatch):
        make(tmp_path, "site/ok.html", "site/locked/x.html")
        real_scandir = os.scandir

        def scandir(path):
            if str(path).endswith("locked"):
                raise PermissionError(13, "Permission denied")
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", scandir)
        files, errors = discover(["site"], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/ok.html"]
        assert errors == [FileError("site/locked", "permission denied")]

    def test_absolute_path_under_cwd_is_shown_relative(self, tmp_path):
        make(tmp_path, "site/a.html")
        files, _ = discover([str(tmp_path / "site")], cwd=tmp_path)
        assert [p.as_posix() for p in files] == ["site/a.html"]

    def test_path_outside_cwd_is_shown_as_given(self, tmp_path):
        make(tmp_path, "other/a.html")
        (tmp_path / "here").mkdir()
        files, _ = discover(["../other"], cwd=tmp_path / "here")
        assert [p.as_posix() for p in files] == ["../other/a.html"]
        absolute = str(tmp_path / "other")
        files, _ = discover([absolute], cwd=tmp_path / "here")
        assert [p.as_posix() for p in files] == [Path(absolute, "a.html").as_posix()]

    def test_deterministic(self, tmp_path):
        make(tmp_path, *(f"d{i % 7}/f{i}.md" for i in range(60)))
        first = discover(["."], cwd=tmp_path)
        assert first == discover(["."], cwd=tmp_path)
        assert first[0] == sorted(first[0], key=lambda p: p.parts)


class TestGlobs:
    @pytest.mark.parametrize(
        ("glob", "path", "expected"),
        [
            ("*.html", "a.html", True),
            ("*.html", "dir/a.html", False),  # `*` stays within a component
            ("**/*.html", "a.html", True),
            ("**/*.html", "x/y/a.html", True),
            ("docs/**", "docs", True),
            ("docs/**", "docs/a/b.md", True),
            ("docs/**", "docsx/a.md", False),
            ("a/**/b", "a/b", True),
            ("a/**/b", "a/x/y/b", True),
            ("file?.md", "file1.md", True),
            ("file?.md", "file10.md", False),
            ("[!a]*.md", "b.md", True),
            ("[!a]*.md", "a.md", False),
            ("a[b", "a[b", True),
            ("a.b", "axb", False),
        ],
    )
    def test_glob_semantics(self, glob, path, expected):
        assert glob_matches(glob, path) is expected

    def test_globs_are_cached(self):
        assert compile_glob("x/**") is compile_glob("x/**")
