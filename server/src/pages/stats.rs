//! `/stats`: the managers' page. The period's figures at a glance, the charts (SVG drawn on the
//! server, so the page prints as the monthly report), tables under them, today's queues, and
//! the CSV and Excel downloads. Managers see their site; admins pick one.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use jiff::civil::Date;
use serde::Deserialize;

use super::layout::{Page, esc};
use super::{LangQuery, language, signed_in};
use crate::auth::Role;
use crate::engine;
use crate::http::error::ApiError;
use crate::http::stats::{StatsQuery, namer, period, weekday_name};
use crate::i18n::Messages;
use crate::state::AppState;
use crate::stats::charts::{self, Words};
use crate::stats::export::Section;
use crate::stats::{Figures, Group, LiveToday};

#[derive(Deserialize)]
pub struct PageQuery {
    lang: Option<String>,
    site: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn page(
    State(app): State<AppState>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Response {
    let Some(user) = signed_in(&app, &headers).await else {
        return Redirect::to("/login").into_response();
    };
    let (m, jar) = language(
        &LangQuery {
            lang: query.lang.clone(),
        },
        jar,
    );
    let config = app.config();
    let site_id = match (&user.site, &query.site) {
        (Some(site), _) => site.clone(),
        (None, Some(site)) => site.clone(),
        (None, None) => config.sites[0].id.clone(),
    };
    if !user.may_read_stats(&site_id) {
        return ApiError::forbidden(format!("`{}` may not see the statistics", user.label))
            .into_response();
    }
    let checked = match period(
        &app,
        StatsQuery {
            site: site_id.clone(),
            from: query.from.clone().filter(|s| !s.is_empty()),
            to: query.to.clone().filter(|s| !s.is_empty()),
            lang: Some(m.lang.clone()),
            separator: None,
            decimal: None,
        },
    ) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let (from, to) = (checked.from, checked.to);
    let now = app.now();
    let site = site_id.clone();
    let read = app
        .read(move |tx, config| {
            Ok((
                engine::figures(tx, config, &site, from, to)?,
                engine::live_today(tx, config, &site, now)?,
            ))
        })
        .await;
    let (figures, live) = match read {
        Ok(read) => read,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let Some(site) = config.site(&site_id) else {
        return ApiError::not_found(format!("there is no site `{site_id}`")).into_response();
    };
    let tz = site.time_zone.clone();
    let today = now.to_zoned_datetime(tz.clone());
    let name = namer(&app, &site_id, &m.lang);
    let t = |key: &str| esc(&m.get(key));

    let site_picker = if user.role == Role::Admin {
        let options: String = config
            .sites
            .iter()
            .map(|s| {
                format!(
                    r#"<option value="{id}"{sel}>{name}</option>"#,
                    id = esc(&s.id),
                    sel = if s.id == site_id { " selected" } else { "" },
                    name = esc(seira_protocol::InLang::in_lang(&s.names, &m.lang)),
                )
            })
            .collect();
        format!(
            r#"<label>{} <select name="site">{options}</select></label>"#,
            t("stats-site")
        )
    } else {
        String::new()
    };
    let month_start = today.date().first_of_month();
    let last_month_end = month_start.yesterday().unwrap_or(month_start);
    let presets = [
        (
            "stats-last-30",
            today
                .date()
                .checked_sub(jiff::SignedDuration::from_hours(24 * 29))
                .unwrap_or(today.date()),
            today.date(),
        ),
        (
            "stats-last-month",
            last_month_end.first_of_month(),
            last_month_end,
        ),
        ("stats-this-month", month_start, today.date()),
    ];
    let site_param = format!("site={}", esc(&site_id));
    let presets: String = presets
        .iter()
        .map(|(key, a, b)| {
            format!(
                r#"<a href="/stats?{site_param}&amp;from={a}&amp;to={b}">{}</a>"#,
                t(key)
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let query_string = format!(
        "{site_param}&amp;from={from}&amp;to={to}&amp;lang={}",
        m.lang
    );

    let body = format!(
        r#"<header class="bar">
<h1>{title} · <span class="muted">{site_name}</span></h1>
<nav class="links" aria-label="{title}"><a href="/desk?{site_param}">{nav_desk}</a>{admin_link}</nav>
<p class="who">{who}</p>
<form method="post" action="/logout"><button type="submit">{logout}</button></form>
</header>
<form method="get" action="/stats" class="card period no-print">
{site_picker}
<label>{from_label} <input type="date" name="from" value="{from}" required></label>
<label>{to_label} <input type="date" name="to" value="{to}" required></label>
<button type="submit">{show}</button>
<p class="presets">{presets}</p>
<p class="downloads"><a class="button" href="/api/v1/stats.xlsx?{query_string}" download>{xlsx}</a> <a class="button" href="/api/v1/stats.csv?{query_string}" download>{csv}</a> <button type="button" id="print">{print}</button></p>
</form>
<p class="report-head">{period} · {generated}</p>
{kpis}
{live}
{charts}
{tables}
<p class="muted small">{definitions}</p>"#,
        title = t("stats-title"),
        site_name = esc(seira_protocol::InLang::in_lang(&site.names, &m.lang)),
        nav_desk = t("nav-desk"),
        admin_link = if user.role == Role::Admin {
            format!(r#" · <a href="/admin?{site_param}">{}</a>"#, t("nav-admin"))
        } else {
            String::new()
        },
        who = esc(&m.get_with("signed-in-as", &[("name", &user.label)])),
        logout = t("logout"),
        from_label = t("stats-from"),
        to_label = t("stats-to"),
        show = t("stats-show"),
        xlsx = t("stats-xlsx"),
        csv = t("stats-csv"),
        print = t("stats-print"),
        period = esc(&m.get_with("stats-period", &[("from", &day(from)), ("to", &day(to))])),
        generated = esc(&m.get_with(
            "stats-generated",
            &[("at", &today.strftime("%d/%m/%Y %H:%M").to_string())]
        )),
        kpis = kpis(m, &figures),
        live = live_section(m, &live, &name, &today.strftime("%H:%M").to_string()),
        charts = charts_section(m, &figures),
        tables = tables(m, &figures, &name),
        definitions = t("stats-definitions"),
    );
    let page = Page {
        messages: m,
        title: m.get("stats-title"),
        body,
        script: Some("stats.js"),
        context: Some(super::layout::json_block(&serde_json::json!({
            "lang": m.lang,
            "now": m.get("stats-now"),
            "desks": m.get("stats-desks-now"),
            "minutes": m.get("stats-minutes"),
        }))),
        body_class: "staff stats",
        languages: &crate::i18n::LANGUAGES,
        path: format!("/stats?site={site_id}&from={from}&to={to}"),
    };
    (jar, page.render()).into_response()
}

/// `16/11/2026`, as dates are written in Greece.
fn day(date: Date) -> String {
    date.strftime("%d/%m/%Y").to_string()
}

fn minutes(m: &Messages, seconds: Option<f64>) -> String {
    match seconds {
        Some(s) => m.get_with("stats-minutes", &[("value", &format!("{:.0}", s / 60.0))]),
        None => "–".to_owned(),
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_owned(), |s| format!("{:.0}%", s * 100.0))
}

/// The mean rating with how many gave it, `4.3 (12)`.
fn rating(g: &Group) -> String {
    g.rating_mean
        .map_or_else(|| "–".to_owned(), |r| format!("{r:.1} ({})", g.rated))
}

fn kpis(m: &Messages, f: &Figures) -> String {
    let t = &f.totals;
    let cards = [
        ("stats-issued", t.issued.to_string()),
        ("stats-served", t.served.to_string()),
        ("stats-no-show", t.no_show.to_string()),
        ("stats-mean-wait", minutes(m, t.wait.mean_s)),
        ("stats-median-wait", minutes(m, t.wait.median_s)),
        ("stats-p90-wait", minutes(m, t.wait.p90_s.map(|s| s as f64))),
        ("stats-within-target", percent(t.within_target)),
        ("stats-mean-service", minutes(m, t.service.mean_s)),
        ("stats-rating", rating(t)),
        ("stats-rating-response", percent(t.rating_response)),
    ];
    let cards: String = cards
        .iter()
        .map(|(key, value)| {
            format!(
                r#"<div class="kpi"><span class="kpi-value">{}</span><span class="kpi-label">{}</span></div>"#,
                esc(value),
                esc(&m.get(key))
            )
        })
        .collect();
    format!(
        r#"<section class="kpis" aria-label="{}">{cards}</section>"#,
        esc(&m.get("stats-title"))
    )
}

fn live_section(
    m: &Messages,
    live: &LiveToday,
    name: &dyn Fn(Section, &str) -> String,
    at: &str,
) -> String {
    let rows: String = live
        .queues
        .iter()
        .map(|q| {
            format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&name(Section::Service, &q.service)),
                q.waiting,
                esc(&minutes(m, Some(q.longest_wait_s as f64)))
            )
        })
        .collect();
    // The script refreshes this section from /api/v1/stats/live every 30 s.
    format!(
        r#"<section class="card live-today no-print" id="live-today" data-site="{site}">
<h2 id="live-heading">{heading}</h2><p id="live-desks">{desks}</p>
<p id="live-nobody" class="muted"{nobody_hidden}>{nobody}</p>
<table class="stats" id="live-table"{table_hidden}><thead><tr><th>{by_service}</th><th class="num">{waiting}</th><th class="num">{longest}</th></tr></thead><tbody id="live-rows">{rows}</tbody></table>
</section>"#,
        site = esc(&live.site),
        heading = esc(&m.get_with("stats-now", &[("at", at)])),
        desks = esc(&m.get_with(
            "stats-desks-now",
            &[
                ("open", &live.desks_open.to_string()),
                ("paused", &live.desks_paused.to_string()),
                ("serving", &live.desks_serving.to_string()),
            ]
        )),
        nobody_hidden = if live.queues.is_empty() {
            ""
        } else {
            " hidden"
        },
        nobody = esc(&m.get("stats-nobody-waiting")),
        table_hidden = if live.queues.is_empty() {
            " hidden"
        } else {
            ""
        },
        by_service = esc(&m.get("stats-by-service")),
        waiting = esc(&m.get("stats-waiting-now")),
        longest = esc(&m.get("stats-longest-now")),
    )
}

fn charts_section(m: &Messages, f: &Figures) -> String {
    if !charts::has_data(f) {
        return format!(r#"<p class="card">{}</p>"#, esc(&m.get("stats-no-data")));
    }
    let weekdays: [String; 7] =
        std::array::from_fn(|d| weekday_name(&(d + 1).to_string(), &m.lang));
    let words = Words {
        waits_title: &m.get("chart-waits"),
        minutes: &m.get("chart-minutes"),
        tickets: &m.get("chart-tickets"),
        by_hour_title: &m.get("chart-by-hour"),
        mean_wait_min: &m.get("chart-mean-wait"),
        heatmap_title: &m.get("chart-heatmap"),
        weekdays: weekdays.each_ref().map(String::as_str),
        daily_title: &m.get("chart-daily"),
    };
    let figure = |svg: String, title: &str| {
        format!(
            r#"<figure class="chart" role="img" aria-label="{}">{svg}</figure>"#,
            esc(title)
        )
    };
    format!(
        r#"<section class="charts">{}{}{}{}</section>"#,
        figure(charts::waits(f, &words), words.waits_title),
        figure(charts::by_hour(f, &words), words.by_hour_title),
        figure(charts::heatmap(f, &words), words.heatmap_title),
        figure(charts::daily(f, &words), words.daily_title),
    )
}

fn tables(m: &Messages, f: &Figures, name: &dyn Fn(Section, &str) -> String) -> String {
    if !charts::has_data(f) {
        return String::new();
    }
    let table = |title: &str, section: Section, groups: &[Group]| {
        let rows: String = groups
            .iter()
            .filter(|g| g.arrivals > 0)
            .map(|g| {
                format!(
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    esc(&name(section, &g.key)),
                    g.arrivals,
                    g.served,
                    g.no_show,
                    esc(&minutes(m, g.wait.mean_s)),
                    esc(&minutes(m, g.wait.median_s)),
                    esc(&minutes(m, g.wait.p90_s.map(|s| s as f64))),
                    esc(&percent(g.within_target)),
                    esc(&minutes(m, g.service.mean_s)),
                    esc(&rating(g)),
                )
            })
            .collect();
        let headings = headings(
            m,
            &[
                "stats-name",
                "stats-arrivals",
                "stats-served",
                "stats-no-show",
                "stats-mean-wait",
                "stats-median-wait",
                "stats-p90-wait",
                "stats-within-target",
                "stats-mean-service",
                "stats-rating",
            ],
        );
        format!(
            r#"<section class="card table-card"><h2>{}</h2><table class="stats"><thead><tr>{headings}</tr></thead><tbody>{rows}</tbody></table></section>"#,
            esc(title)
        )
    };
    [
        table(&m.get("stats-by-service"), Section::Service, &f.by_service),
        table(&m.get("stats-by-desk"), Section::Desk, &f.by_desk),
        table(
            &m.get("stats-by-staff"),
            Section::Staff,
            &Section::Staff
                .groups(f)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>(),
        ),
        table(
            &m.get("stats-by-token"),
            Section::Token,
            &Section::Token
                .groups(f)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>(),
        ),
        table(&m.get("stats-by-weekday"), Section::Weekday, &f.by_weekday),
        table(&m.get("stats-by-channel"), Section::Channel, &f.by_channel),
        appointments_table(m, f, name),
    ]
    .concat()
}

/// A table's header cells: the name, then numbers (right-aligned).
fn headings(m: &Messages, keys: &[&str]) -> String {
    keys.iter()
        .enumerate()
        .map(|(i, key)| {
            let class = if i == 0 { "" } else { r#" class="num""# };
            format!("<th{class}>{}</th>", esc(&m.get(key)))
        })
        .collect()
}

/// The appointments' own figures: punctuality, the wait from the start, no-shows and the
/// booked time used, for the total and each service.
fn appointments_table(m: &Messages, f: &Figures, name: &dyn Fn(Section, &str) -> String) -> String {
    let groups: Vec<_> = f
        .appointments
        .iter()
        .filter(|g| g.booked + g.cancelled > 0)
        .collect();
    if groups.is_empty() {
        return String::new();
    }
    // Arrival against the start, signed: "−3 λεπτά" early, "+5" late.
    let signed = |seconds: Option<f64>| match seconds {
        Some(s) => {
            let min = (s / 60.0).round();
            let value = if min > 0.0 {
                format!("+{min:.0}")
            } else {
                format!("{min:.0}").replace('-', "−")
            };
            m.get_with("stats-minutes", &[("value", &value)])
        }
        None => "–".to_owned(),
    };
    let rows: String = groups
        .iter()
        .map(|g| {
            format!(
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&name(crate::stats::export::appointment_section(g), &g.key)),
                g.booked,
                g.attended,
                g.late,
                g.no_show,
                esc(&percent(g.no_show_rate)),
                esc(&signed(g.arrival.median_s)),
                esc(&minutes(m, g.wait_from_start.median_s)),
                esc(&percent(g.capacity_used)),
                g.cancelled,
            )
        })
        .collect();
    let headings = headings(
        m,
        &[
            "stats-name",
            "stats-appt-booked",
            "stats-appt-attended",
            "stats-appt-late",
            "stats-no-show",
            "stats-appt-no-show-rate",
            "stats-appt-arrival",
            "stats-appt-wait",
            "stats-appt-capacity",
            "stats-appt-cancelled",
        ],
    );
    format!(
        r#"<section class="card table-card" id="appointments-stats"><h2>{}</h2><p class="muted small">{}</p><table class="stats"><thead><tr>{headings}</tr></thead><tbody>{rows}</tbody></table></section>"#,
        esc(&m.get("stats-appointments")),
        esc(&m.get("stats-appointments-help")),
    )
}
