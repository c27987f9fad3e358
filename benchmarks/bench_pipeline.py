"""End-to-end benchmark; the same as `tolltrace bench` (see src/tolltrace/bench.py)."""

from tolltrace.bench import main

if __name__ == "__main__":
    main()
