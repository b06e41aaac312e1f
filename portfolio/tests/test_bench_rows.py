import sys
from pathlib import Path

from portfolio.models import Cadence

from .factories import make_client

sys.path.append(str(Path(__file__).resolve().parents[2] / "bench"))


def test_bench_rows_prepare_is_idempotent_and_its_pages_answer(client, make_user, smg_version):
    import portfolio_rows

    bench = make_user("bench")
    for number in range(3):
        make_client(f"Bench org {number:03}", bench, smg_version)
    paths = portfolio_rows.prepare(bench)
    portfolio_rows.prepare(bench)
    assert Cadence.objects.count() == 3
    client.force_login(bench)
    for path in paths.values():
        response = client.get(path)
        assert response.status_code == 200
        assert 'data-testid="dashboard"' in response.content.decode()
