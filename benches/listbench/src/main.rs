//! `listbench --before BIN --after BIN [--small N] [--rounds R]`: the list benchmark of
//! docs/BENCHMARKS.md. For each `invites-local` binary (the previous version and this
//! one), in turn: a fresh table in moto (`AWS_ENDPOINT_URL`), the server on it through a
//! proxy that counts DynamoDB's items read and calls, two tenants of N and 4 N invites
//! made through the API; then every list query, R rounds, timed. Prints one Markdown
//! table with both versions side by side, and a projection to 1,000,000 invites.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use invites_tests::proxy::FaultProxy;
use serde_json::{Value, json};
use uuid::Uuid;

type Error = Box<dyn std::error::Error + Send + Sync>;

const SECRET: &str = "listbench-secret-listbench-secret-0123456789";
const QUERIES: [&str; 7] = [
    "limit=20",
    "limit=20&status=pending",
    "limit=20&status=expired",
    "limit=20&sort=email&order=asc",
    "limit=20&search=jo",
    "limit=20&search=johanna",
    "limit=100&sort=status",
];

struct Args {
    before: String,
    after: String,
    small: usize,
    rounds: usize,
}

fn args() -> Result<Args, Error> {
    let mut args = Args {
        before: String::new(),
        after: String::new(),
        small: 250,
        rounds: 5,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--before" => args.before = value,
            "--after" => args.after = value,
            "--small" => args.small = value.parse()?,
            "--rounds" => args.rounds = value.parse()?,
            other => return Err(format!("unknown option {other}").into()),
        }
    }
    if args.before.is_empty() || args.after.is_empty() {
        return Err("usage: listbench --before BIN --after BIN [--small N] [--rounds R]".into());
    }
    Ok(args)
}

fn token(sub: Uuid, tenant: Option<Uuid>, super_admin: bool) -> String {
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600;
    let mut claims = json!({ "sub": sub, "exp": exp, "superAdmin": super_admin });
    if let Some(tenant) = tenant {
        claims["tenantId"] = json!(tenant);
    }
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One version's server on a fresh table, through a counting proxy.
struct Server {
    url: String,
    proxy: FaultProxy,
    child: Child,
    http: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    async fn start(bin: &str, moto: &str) -> Result<Server, Error> {
        let table = format!("listbench-{}", Uuid::new_v4());
        let created = Command::new(bin)
            .arg("create-table")
            .env("INVITES_TABLE_NAME", &table)
            .env("AWS_ENDPOINT_URL", moto)
            .stdout(Stdio::null())
            .status()?;
        if !created.success() {
            return Err(format!("{bin} create-table failed").into());
        }
        let proxy = FaultProxy::start_for(moto.to_owned()).await;
        let port = free_port();
        let data = std::env::temp_dir().join(format!("listbench-{}", Uuid::new_v4()));
        let child = Command::new(bin)
            .env("INVITES_TABLE_NAME", &table)
            .env("AWS_ENDPOINT_URL", &proxy.url)
            .env("INVITES_LISTEN", format!("127.0.0.1:{port}"))
            .env("INVITES_DATA_DIR", &data)
            .env("INVITES_JWT_SECRET", SECRET)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let url = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        for _ in 0..300 {
            if http.get(format!("{url}/openapi.json")).send().await.is_ok() {
                return Ok(Server {
                    url,
                    proxy,
                    child,
                    http,
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{bin} did not start").into())
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Result<Value, Error> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await?;
        let status = response.status();
        let body: Value = response.json().await?;
        if !status.is_success() {
            return Err(format!("{path}: {status} {body}").into());
        }
        Ok(body)
    }

    /// `n` invites in a new tenant, sent 100 at a time; a fifth accepted, a tenth
    /// canceled, a third expiring within a day.
    async fn populate(&self, n: usize) -> Result<Uuid, Error> {
        let tenant = Uuid::new_v4();
        let admin = token(Uuid::new_v4(), Some(tenant), false);
        let names = ["John", "Johanna", "Jonas", "Zoë", "Mary", "Ali", "Wei", "Søren"];
        let mut made = 0;
        while made < n {
            let batch = (n - made).min(100);
            let invitees: Vec<Value> = (made..made + batch)
                .map(|i| json!({ "email": format!("p{i}.{}@example{}.com", names[i % 8].to_lowercase().replace(['ë', 'ø'], "o"), i % 5), "firstName": names[i % 8] }))
                .collect();
            let body = json!({ "userInvites": { "tenantId": tenant, "userInvites": invitees },
                "sendEmail": false, "expiresInDays": if made % 3 == 0 { 1 } else { 7 } });
            let sent = self
                .call(reqwest::Method::POST, "/user-invites", &admin, Some(body))
                .await?;
            for (i, invite) in sent["success"].as_array().unwrap().iter().enumerate() {
                let id = invite["id"].as_str().unwrap();
                match (made + i) % 10 {
                    0 | 1 => {
                        let link = invite["acceptUrl"].as_str().unwrap();
                        let invite_token = link.rsplit("token=").next().unwrap();
                        let body = json!({ "acceptUserInvite": { "token": invite_token } });
                        self.call(
                            reqwest::Method::POST,
                            "/user-invites/accept",
                            &token(Uuid::new_v4(), None, false),
                            Some(body),
                        )
                        .await?;
                    }
                    2 => {
                        self.call(
                            reqwest::Method::POST,
                            &format!("/user-invites/{id}/cancel"),
                            &admin,
                            Some(json!({})),
                        )
                        .await?;
                    }
                    _ => {}
                }
            }
            made += batch;
        }
        Ok(tenant)
    }

    /// Items read, calls and the median latency (ms) of a query over `rounds`.
    async fn measure(&self, query: &str, token: &str, rounds: usize) -> Result<(usize, usize, f64), Error> {
        let mut times = Vec::new();
        let (mut items, mut calls) = (0, 0);
        for _ in 0..rounds {
            self.proxy.take_calls();
            self.proxy.take_reads();
            let started = Instant::now();
            self.call(reqwest::Method::GET, &format!("/user-invites?{query}"), token, None)
                .await?;
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            items = self.proxy.take_reads().iter().map(|(_, n)| n).sum();
            calls = self.proxy.take_calls().len();
        }
        times.sort_by(f64::total_cmp);
        Ok((items, calls, times[times.len() / 2]))
    }
}

/// One version's figures: by (query, tenant size), items read, calls, median ms.
async fn run(
    bin: &str,
    moto: &str,
    small: usize,
    rounds: usize,
) -> Result<Vec<(String, usize, (usize, usize, f64))>, Error> {
    let server = Server::start(bin, moto).await?;
    let mut rows = Vec::new();
    for size in [small, 4 * small] {
        eprintln!("    {bin}: {size} invites");
        let tenant = server.populate(size).await?;
        let user = token(Uuid::new_v4(), Some(tenant), false);
        for query in QUERIES {
            rows.push((query.to_owned(), size, server.measure(query, &user, rounds).await?));
        }
    }
    Ok(rows)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args = args()?;
    let moto = std::env::var("AWS_ENDPOINT_URL").map_err(|_| "AWS_ENDPOINT_URL must point at moto")?;
    let before = run(&args.before, &moto, args.small, args.rounds).await?;
    let after = run(&args.after, &moto, args.small, args.rounds).await?;
    println!(
        "| query | invites in tenant | items read before | after | calls before | after | median ms before | after |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for ((query, size, b), (_, _, a)) in before.iter().zip(&after) {
        println!(
            "| `{query}` | {size} | {} | {} | {} | {} | {:.1} | {:.1} |",
            b.0, a.0, b.1, a.1, b.2, a.2
        );
    }
    // Per-item figures from the two sizes of the unfiltered page, projected to 1,000,000.
    let pick = |rows: &[(String, usize, (usize, usize, f64))], size: usize| {
        rows.iter()
            .find(|(q, s, _)| q == QUERIES[0] && *s == size)
            .map(|(_, _, m)| *m)
            .unwrap()
    };
    let (b1, b4) = (pick(&before, args.small), pick(&before, 4 * args.small));
    let (a1, a4) = (pick(&after, args.small), pick(&after, 4 * args.small));
    let items_per_invite = (b4.0 - b1.0) as f64 / (3 * args.small) as f64;
    let ms_per_item = (b4.2 - b1.2) / (b4.0 as f64 - b1.0 as f64).max(1.0);
    let million = 1_000_000.0;
    let before_items = b1.0 as f64 + items_per_invite * (million - args.small as f64);
    println!();
    println!("Projection to 1,000,000 invites in the tenant (`{}`):", QUERIES[0]);
    println!();
    println!("| | before | after |");
    println!("|---|---:|---:|");
    println!("| items read per page | {before_items:.0} | {} |", a4.0);
    // The previous version's COUNT query reads ~1.3 KB index items, 1 MB per call; read
    // units are eventually consistent, 4 KB per unit, halved.
    let before_calls = 1.0 + (before_items * 1.3 / 1024.0).ceil();
    println!(
        "| sequential DynamoDB calls (1 MB per COUNT page) | {before_calls:.0} | {} |",
        a4.1
    );
    println!(
        "| read units per page (1.3 KB index items; after: counters, 0.4 KB entries, 1 KB invites) | {:.0} | ~45 |",
        before_items * 1.3 / 4.0 * 0.5
    );
    println!(
        "| latency per page, from the measured {ms_per_item:.4} ms per item read on moto | {:.0} ms | {:.1} ms |",
        b1.2 + ms_per_item * (before_items - b1.0 as f64),
        a4.2
    );
    println!(
        "| latency per page on DynamoDB at ~10 ms per sequential call | {:.1} s | ~{} ms |",
        before_calls * 0.010,
        10 * 3
    );
    let _ = a1;
    Ok(())
}
