"""Charts are drawn on the server as SVG with a title, a description and the same figures in
a table, and escape whatever they are given."""

from training_site.people.roles import Role
from training_site.reports.charts import (
    Bar,
    all_hidden,
    bar_chart_svg,
    nice_ceiling,
    share_bar_svg,
)

from .conftest import client_for


def test_bar_chart_is_labelled_and_escapes_its_text():
    svg = bar_chart_svg(
        title="Completions <b>",
        description="One bar & more",
        chart_id="m",
        bars=[Bar("Jan <26>", 3), Bar("Feb 26", 0, "hidden", hidden=True)],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="m-title m-desc"' in svg
    assert '<title id="m-title">Completions &lt;b&gt;</title>' in svg
    assert "One bar &amp; more" in svg and "Jan &lt;26&gt;: 3" in svg
    assert "Feb 26: hidden" in svg


def test_axis_tops_are_round_numbers():
    assert [nice_ceiling(v) for v in (0, 1, 3, 7, 12, 99, 101)] == [1, 1, 5, 10, 20, 100, 200]


def test_share_bar_gives_each_part_in_words():
    svg = share_bar_svg(
        title="Certificates",
        description="Valid: 9",
        chart_id="s",
        bars=[Bar("Valid", 9), Bar("Expiring", 1), Bar("Expired", 0)],
    )
    assert "Valid: 9" in svg and "Expiring: 1" in svg and 'pattern id="hatch"' in svg


def test_dashboard_charts_come_with_their_figures_in_tables(world):
    lead = world.staff(Role.BOROUGH_LEAD, borough=world.b)
    page = client_for(lead).get("/staff/reports/").content.decode()
    assert page.count('role="img"') == 2
    assert '<title id="monthly-title">Courses completed each month</title>' in page
    # The month table lists 24 months, the latest holding this month's completion.
    assert page.count('<th scope="row">', page.index("The figures as a table")) >= 24
    assert 'Valid, expiring within 90 days</th><td class="num">1</td>' in page


def test_a_chart_is_all_hidden_when_nothing_it_could_draw_is_shown():
    hidden = Bar("Jan 26", 0, "hidden", hidden=True)
    assert all_hidden([hidden, Bar("Feb 26", 0)])
    assert not all_hidden([hidden, Bar("Feb 26", 7)])
    assert not all_hidden([Bar("Jan 26", 0), Bar("Feb 26", 0)])  # nothing hidden: true zeros


def test_charts_whose_figures_are_all_hidden_say_so_in_words(world):
    lead = world.staff(Role.PARTNERSHIP_LEAD, partnership=world.west)
    page = client_for(lead).get("/staff/reports/").content.decode()
    assert 'role="img"' not in page
    assert page.count("No chart: every figure in it is hidden or none") == 2
    # The figures themselves are still in the tables, as "hidden".
    expiring = page[page.index("Valid, expiring within 90 days</th>") :].split("</tr>")[0]
    assert 'class="figure-hidden">hidden<' in expiring
