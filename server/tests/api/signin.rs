//! Browser sign-in as an attacker would try it: throttling, other origins, other desks, old
//! and planted sessions.

use reqwest::StatusCode;
use seira_server::auth::Role;

use crate::helpers::{PASSWORD, spawn_app};

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("seira_session="))
        .map(str::to_owned)
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_a_new_session_every_time() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sign_in = |cookie: Option<&'static str>| {
        // As a browser sends it: with the page's origin.
        let mut request = http
            .post(format!("{}/login", app.base))
            .header("Origin", app.base.clone())
            .form(&[("username", "maria"), ("password", PASSWORD)]);
        if let Some(c) = cookie {
            request = request.header("Cookie", c);
        }
        request.send()
    };
    // A session id planted before sign-in is not kept: the server issues its own.
    let first = sign_in(Some("seira_session=planted-by-someone-else"))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    assert_eq!(first.headers()["location"], "/");
    let cookie = session_cookie(&first).unwrap();
    assert!(!cookie.contains("planted"));
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} has {attribute}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: no Secure flag");
    let second = sign_in(None).await.unwrap();
    assert_ne!(
        session_cookie(&second).unwrap(),
        cookie,
        "a new session at every sign-in"
    );
    // Behind a TLS proxy the cookie is Secure.
    let tls = http
        .post(format!("{}/login", app.base))
        .header("X-Forwarded-Proto", "https")
        .form(&[("username", "maria"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(session_cookie(&tls).unwrap().contains("Secure"));
}

#[tokio::test]
async fn a_signed_out_session_is_rejected() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    let browser = app.signed_in("maria").await;
    let desks = format!("{}/api/v1/sites/chania/desks", app.base);
    assert_eq!(
        browser.get(&desks).send().await.unwrap().status(),
        StatusCode::OK
    );
    let page = browser
        .get(format!("{}/desk", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    // A second session, whose cookie we hold by hand as an attacker who copied it would.
    let stolen = {
        let r = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{}/login", app.base))
            .form(&[("username", "maria"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        session_cookie(&r)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    };
    let with_stolen = || {
        reqwest::Client::new()
            .get(&desks)
            .header("Cookie", stolen.clone())
            .send()
    };
    assert_eq!(with_stolen().await.unwrap().status(), StatusCode::OK);
    let logout = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/logout", app.base))
        .header("Cookie", stolen.clone())
        .header("Origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert!(
        session_cookie(&logout).unwrap().contains("Max-Age=0"),
        "the cookie is removed"
    );
    assert_eq!(
        with_stolen().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "ended on the server"
    );
    // The other session of the same user goes on.
    assert_eq!(
        browser.get(&desks).send().await.unwrap().status(),
        StatusCode::OK
    );
    // A page without a session sends to the sign-in form.
    let page = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}/desk", app.base))
        .header("Cookie", stolen.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        (page.status(), page.headers()["location"].to_str().unwrap()),
        (StatusCode::SEE_OTHER, "/login")
    );
}

#[tokio::test]
async fn repeated_wrong_passwords_are_throttled() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &[]);
    let http = reqwest::Client::new();
    let attempt = |password: &'static str| {
        http.post(format!("{}/login", app.base))
            .form(&[("username", "maria"), ("password", password)])
            .send()
    };
    for _ in 0..5 {
        let r = attempt("wrong password!").await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains("Λάθος όνομα χρήστη ή κωδικός")
        );
    }
    // Now even the right password waits.
    let r = attempt(PASSWORD).await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().contains_key("retry-after"));
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Πολλές αποτυχημένες προσπάθειες")
    );
    // Maria at her own desk (another address) is not locked out by those failures.
    let at_her_desk = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = at_her_desk
        .post(format!("{}/login", app.base))
        .form(&[("username", "maria"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "signed in from her desk");
    // An unknown name fails the same way as a wrong password.
    let r = http
        .post(format!("{}/login", app.base))
        .form(&[("username", "nobody"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_signed_in_page_cannot_be_used_from_another_origin_or_at_another_desk() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &["chania-1"]);
    app.add_user("eleni", Role::Manager, Some("chania"), &[]);
    let maria = app.signed_in("maria").await;
    let open = |desk: &str, origin: Option<String>| {
        let mut r = maria.post(format!("{}/api/v1/desks/{desk}/open", app.base));
        if let Some(origin) = origin {
            r = r.header("Origin", origin);
        }
        r.send()
    };
    let own = Some(app.base.clone());
    assert_eq!(
        open("chania-1", own.clone()).await.unwrap().status(),
        StatusCode::OK
    );
    assert_eq!(
        open("chania-2", own.clone()).await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "another desk"
    );
    assert_eq!(
        open("chania-1", Some("http://evil.example".into()))
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN,
        "another origin"
    );
    assert_eq!(
        open("chania-1", None).await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "no origin at all"
    );
    // A manager reads but does not act.
    let eleni = app.signed_in("eleni").await;
    let r = eleni
        .get(format!("{}/api/v1/sites/chania/desks", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = eleni
        .post(format!("{}/api/v1/desks/chania-1/call-next", app.base))
        .header("Origin", app.base.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_after_12_hours() {
    let app = spawn_app().await;
    app.add_user("maria", Role::Staff, Some("chania"), &[]);
    let desks = format!("{}/api/v1/sites/chania/desks", app.base);
    let start = jiff::Timestamp::now();
    let at = |minutes: i64| start + jiff::SignedDuration::from_mins(minutes);

    // Used every 25 minutes, a session lives on… until 12 hours after sign-in.
    app.set_time(at(0));
    let busy = app.signed_in("maria").await;
    for minutes in (25..=700).step_by(25) {
        app.set_time(at(minutes));
        assert_eq!(
            busy.get(&desks).send().await.unwrap().status(),
            StatusCode::OK,
            "at {minutes} min"
        );
    }
    app.set_time(at(12 * 60 + 1));
    assert_eq!(
        busy.get(&desks).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );

    // Left alone for 31 minutes, a session ends.
    app.set_time(at(0));
    let idle = app.signed_in("maria").await;
    app.set_time(at(29));
    assert_eq!(
        idle.get(&desks).send().await.unwrap().status(),
        StatusCode::OK
    );
    app.set_time(at(29 + 31));
    assert_eq!(
        idle.get(&desks).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}
