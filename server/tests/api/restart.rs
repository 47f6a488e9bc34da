//! The server stops and starts again on the same file: the queue is as it was.

use seira_protocol::TicketState;
use seira_server::config::Config;

use crate::helpers::spawn_with;

#[tokio::test]
async fn the_queue_survives_a_restart() {
    let mut app = spawn_with(Config::embedded().always_open(), None).await;
    let dir = app.take_dir();
    let mut issued = Vec::new();
    for _ in 0..5 {
        issued.push(app.issue("benefits", None).await);
    }
    app.open_desk("chania-1").await;
    let in_hand = app.call_next("chania-1", "staff1").await.unwrap();
    app.stop().await;

    let app = spawn_with(Config::embedded().always_open(), Some(&app.db_path)).await;
    let desks = app.client(None);
    let track = desks.track(&in_hand.id).await.unwrap();
    assert_eq!(
        (track.state, track.desk.as_deref()),
        (TicketState::Called, Some("chania-1"))
    );
    let services = app.client(Some("kiosk")).services("chania").await.unwrap();
    assert_eq!(services.services[0].waiting, 4);
    // Numbering goes on after the last number, never repeating one.
    let next = app.issue("benefits", None).await;
    assert_eq!(next.number, "A006");
    // The desk still holds its ticket and calls on in order afterwards.
    app.act(&in_hand.id, "start", "staff1").await;
    app.act(&in_hand.id, "done", "staff1").await;
    let second = app.call_next("chania-1", "staff1").await.unwrap();
    assert_eq!(second.id, issued[1].id);
    drop(dir);
}
