//! Real headless Chromium through chromedriver, one of each per test.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

pub const WAIT: Duration = Duration::from_secs(20);

impl Browser {
    /// `javascript: false` loads pages as a browser without JavaScript would.
    pub async fn start(javascript: bool) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = spawn_group(Command::new("chromedriver").arg(format!("--port={port}")));
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut options = json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            let mut builder =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
            builder.capabilities(caps.clone());
            let connecting = builder.connect(&url);
            match tokio::time::timeout(Duration::from_secs(30), connecting).await {
                Ok(Ok(client)) => {
                    return Browser {
                        client,
                        driver,
                        _profile: profile,
                    }
                }
                Ok(Err(e)) => last_error = Some(e.to_string()),
                Err(_) => last_error = Some("timed out".into()),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("chromedriver did not start: {last_error:?}");
    }

    pub async fn wait_hydrated(&self) {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("body[data-hydrated='true']"))
            .await
            .expect("the page hydrates");
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Waits until `css` matches an element whose text contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if el.text().await.is_ok_and(|t| t.contains(text)) {
                    return;
                }
            }
            if tokio::time::Instant::now() > deadline {
                let html = self.client.source().await.unwrap_or_default();
                panic!("no {css} with text {text:?}; page: {html}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Signs in through the sign-in page (hydrated) and waits for the page
    /// `next` to show its heading.
    pub async fn sign_in(&self, base: &str, email: &str, next: &str, heading: &str) {
        self.client
            .goto(&format!("{base}/login?next={next}"))
            .await
            .expect("open the sign-in page");
        self.wait_hydrated().await;
        self.fill("#email", email).await;
        self.fill("#password", crate::PASSWORD).await;
        self.click("button[type='submit']").await;
        self.wait_for_text("main h1", heading).await;
        self.wait_hydrated().await;
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.wait_for(css).await;
        el.clear().await.expect("clear");
        el.send_keys(value).await.expect("type");
    }

    /// Picks the option with `value` in a `<select>`.
    pub async fn choose(&self, css: &str, value: &str) {
        self.wait_for(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
    }

    /// Chooses the file at `path` in a file input.
    pub async fn attach(&self, css: &str, path: &str) {
        self.wait_for(css)
            .await
            .send_keys(path)
            .await
            .unwrap_or_else(|e| panic!("choose {path} in {css}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.wait_for(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Runs axe-core's WCAG 2.1 A and AA rules on the page and fails the
    /// test with every violation found.
    pub async fn assert_accessible(&self, page: &str) {
        let path = std::env::var("AXE_CORE_JS").unwrap_or_else(|_| {
            format!(
                "{}/.cache/continuity/tools/node/node_modules/axe-core/axe.min.js",
                std::env::var("HOME").unwrap_or_default()
            )
        });
        let axe = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("axe-core at {path} (scripts/toolchain.sh --browser): {e}"));
        let script = format!(
            "{axe}\nreturn axe.run(document, {{ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }})\
             .then(r => r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')));"
        );
        let violations = self
            .client
            .execute(&script, vec![])
            .await
            .expect("axe-core runs");
        let list: Vec<String> =
            serde_json::from_value(violations).expect("axe-core answers with a list of violations");
        assert!(
            list.is_empty(),
            "accessibility violations on {page}:\n{}",
            list.join("\n")
        );
    }

    /// Saves a PNG of the page as `<name>.png` in `$CONTINUITY_SCREENSHOTS`,
    /// when set: how the README's pictures are made.
    pub async fn screenshot(&self, name: &str) {
        if let Ok(dir) = std::env::var("CONTINUITY_SCREENSHOTS") {
            let png = self.client.screenshot().await.expect("a screenshot");
            std::fs::create_dir_all(&dir).expect("the screenshot folder");
            std::fs::write(format!("{dir}/{name}.png"), png).expect("save the screenshot");
        }
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill_group(&mut self.driver);
    }
}

/// Starts a process in its own group, so the browsers it starts die with it.
fn spawn_group(cmd: &mut Command) -> Child {
    use std::os::unix::process::CommandExt as _;
    cmd.process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is installed (scripts/toolchain.sh --browser)")
}

fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
}
