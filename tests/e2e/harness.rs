//! Spawns the real `hanse` binary on port 0 against a fresh database and talks to it over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

/// A running server and the database it uses.
pub struct TestServer {
    child: Option<Child>,
    pub base: String,
    pub database_url: String,
    pub operator_token: String,
    pub stdout: mpsc::Receiver<String>,
    pub stderr: mpsc::Receiver<String>,
    client: reqwest::Client,
}

/// Options for [`TestServer::start_with`].
#[derive(Clone, Default)]
pub struct Options {
    /// Database to use; a fresh one when `None`.
    pub database_url: Option<String>,
    /// Operator token to set in the environment; `None` leaves HANSE_OPERATOR_TOKEN unset.
    pub operator_token: Option<String>,
    /// Extra arguments after `serve`.
    pub args: Vec<String>,
    /// Extra environment variables (e.g. `RUST_LOG`, which is `warn` otherwise).
    pub env: Vec<(String, String)>,
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hanse() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hanse"));
    command.env_remove("DATABASE_URL").env_remove("HANSE_OPERATOR_TOKEN").env("RUST_LOG", "warn");
    command
}

/// Runs `hanse ARGS` to completion against `database_url`; returns (exit ok, stdout, stderr).
pub fn run_cli(database_url: &str, args: &[&str]) -> (bool, String, String) {
    let output = hanse()
        .args(args)
        .arg("--database-url")
        .arg(database_url)
        .stdin(Stdio::null())
        .output()
        .expect("run hanse");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn pipe_lines(reader: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

impl TestServer {
    /// A server on a fresh database with a random operator token.
    pub async fn start() -> TestServer {
        Self::start_with(Options { operator_token: Some(random_token()), ..Default::default() }).await
    }

    /// A server as `options` say.
    pub async fn start_with(options: Options) -> TestServer {
        let database_url = match options.database_url {
            Some(url) => url,
            None => hanse_store::testing::fresh_database_url().await,
        };
        let mut command = hanse();
        command
            .arg("serve")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--database-url")
            .arg(&database_url)
            // One compiled-plugin cache for every server of the test run: compiled once.
            .arg("--plugin-cache-dir")
            .arg(std::env::temp_dir().join("hanse-tests").join("plugin-cache"))
            .args(&options.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.envs(options.env.iter().map(|(k, v)| (k, v)));
        if let Some(token) = &options.operator_token {
            command.env("HANSE_OPERATOR_TOKEN", token);
        }
        let mut child = command.spawn().expect("spawn hanse serve");
        let stdout = pipe_lines(child.stdout.take().expect("stdout"));
        let stderr = pipe_lines(child.stderr.take().expect("stderr"));
        let mut seen = Vec::new();
        let base = loop {
            match stdout.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("hanse listening on ") {
                        break url.trim().to_owned();
                    }
                    seen.push(line);
                }
                Err(_) => {
                    let errors: Vec<String> = stderr.try_iter().collect();
                    panic!("hanse did not start; stdout: {seen:?}; stderr: {errors:?}");
                }
            }
        };
        TestServer {
            child: Some(child),
            base,
            database_url,
            operator_token: options.operator_token.unwrap_or_default(),
            stdout: {
                let (tx, rx) = mpsc::channel();
                for line in seen {
                    let _ = tx.send(line);
                }
                std::thread::spawn(move || {
                    for line in stdout.iter() {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                });
                rx
            },
            stderr,
            client: reqwest::Client::new(),
        }
    }

    /// Sends SIGTERM and waits for the process; returns whether it exited successfully.
    pub fn stop(&mut self) -> bool {
        let Some(mut child) = self.child.take() else { return true };
        let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
        for _ in 0..200 {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = child.kill();
        let _ = child.wait();
        false
    }

    /// A request to `path` (absolute path on this server).
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// An operator request.
    pub fn operator(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(&self.operator_token)
    }

    /// An admin request with `token`.
    pub fn admin(&self, token: &str, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(token)
    }

    /// A storefront request for tenant `slug`.
    pub fn store(&self, slug: &str, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).header("X-Tenant", slug)
    }

    /// Creates a tenant and returns its admin token.
    pub async fn tenant(&self, slug: &str) -> String {
        let (status, body) = send(
            self.operator(Method::POST, "/operator/v1/tenants")
                .json(&serde_json::json!({"slug": slug, "name": slug.to_uppercase(), "currency": "USD"})),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        body["admin_token"].as_str().expect("admin_token").to_owned()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Sends a request; returns the status and the JSON body (`Value::Null` when empty or not JSON).
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    let response: Response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The error code of an error body.
pub fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("<no error code>")
}
