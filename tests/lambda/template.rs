//! template.yaml against the code: every function prebuilt from its crate and wired to
//! its route of the route table, least-privilege policies, the table the code creates,
//! the CORS lists invites-local answers with, and the deployed URL the API description
//! names.

use std::collections::BTreeSet;

use invites_shared::dynamo::{LIST_INDEXES, PARTITION_KEY, SORT_KEY, STREAM_VIEW_TYPE, TENANT_KEY, TTL_ATTRIBUTE};
use invites_shared::http::ROUTES;
use invites_shared::http::cors::{ALLOW_HEADERS, EXPOSE_HEADERS, MAX_AGE_SECONDS, allow_methods};
use invites_shared::http::openapi::{OPENAPI_JSON_PATH, OPENAPI_YAML};
use yaml_serde::Value as Yaml;

use crate::{operations, root};

/// The crate that serves the API description.
pub(crate) const OPENAPI_DOCUMENT_CRATE: &str = "openapi-document";

pub(crate) fn template() -> Yaml {
    let text = std::fs::read_to_string(root().join("template.yaml")).unwrap();
    yaml_serde::from_str(&text).expect("template.yaml is YAML")
}

pub(crate) fn resources_of_type<'a>(template: &'a Yaml, kind: &str) -> Vec<(&'a str, &'a Yaml)> {
    template["Resources"]
        .as_mapping()
        .unwrap()
        .iter()
        .filter(|(_, r)| r["Type"].as_str() == Some(kind))
        .map(|(name, r)| (name.as_str().unwrap(), r))
        .collect()
}

pub(crate) fn text(value: &Yaml) -> String {
    value
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{value:?}"))
}

/// The value under a CloudFormation short-form tag (`!If`, `!Sub`, ...).
fn tagged<'a>(value: &'a Yaml, tag: &str) -> &'a Yaml {
    match value {
        Yaml::Tagged(tagged) if tagged.tag == tag => &tagged.value,
        other => panic!("expected !{tag}, found {other:?}"),
    }
}

fn strings(value: &Yaml) -> Vec<String> {
    value.as_sequence().expect("a list").iter().map(text).collect()
}

/// The crate a function is built from: its CodeUri is `target/lambda/<crate>/`, where
/// `cargo lambda build` puts that crate's bootstrap.
fn crate_of(function: &Yaml) -> String {
    let uri = text(&function["Properties"]["CodeUri"]);
    uri.strip_prefix("target/lambda/")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("CodeUri {uri} is not a prebuilt target/lambda/<crate>/"))
        .to_owned()
}

fn functions(template: &Yaml) -> Vec<(String, &Yaml)> {
    resources_of_type(template, "AWS::Serverless::Function")
        .into_iter()
        .map(|(_, f)| (crate_of(f), f))
        .collect()
}

fn function<'a>(template: &'a Yaml, name: &str) -> &'a Yaml {
    functions(template)
        .into_iter()
        .find(|(c, _)| c == name)
        .map(|(_, f)| f)
        .unwrap_or_else(|| panic!("no template function is built from {name}"))
}

fn http_routes(function: &Yaml) -> Vec<(String, String)> {
    function["Properties"]["Events"]
        .as_mapping()
        .map(|events| {
            events
                .values()
                .filter(|e| e["Type"].as_str() == Some("HttpApi"))
                .map(|e| (text(&e["Properties"]["Method"]), text(&e["Properties"]["Path"])))
                .collect()
        })
        .unwrap_or_default()
}

/// A route, and HEAD beside it when it is a GET (API Gateway routes HEAD as declared).
fn with_head(method: &str, path: &str) -> Vec<(String, String)> {
    let mut routes = vec![(method.to_owned(), path.to_owned())];
    if method == "GET" {
        routes.push(("HEAD".to_owned(), path.to_owned()));
    }
    routes
}

#[test]
fn every_crate_is_a_prebuilt_template_function_on_its_route() {
    let template = template();
    let functions = functions(&template);
    let crates: BTreeSet<String> = std::fs::read_dir(root().join("functions"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    let built: BTreeSet<String> = functions.iter().map(|(c, _)| c.clone()).collect();
    assert_eq!(built, crates, "one template function per crate under functions/");
    for (name, function) in &functions {
        // `sam build` packages what `cargo lambda build` made; it never compiles.
        assert_eq!(function["Metadata"]["SkipBuild"].as_bool(), Some(true), "{name}");
        assert!(function["Metadata"]["BuildMethod"].is_null(), "{name}");
    }

    let mut template_routes = BTreeSet::new();
    for (_, function) in &functions {
        template_routes.extend(http_routes(function));
    }
    // Every route of the table, and HEAD beside each GET.
    let mut served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|r| with_head(r.method.as_str(), r.path))
        .collect();
    served.insert(("GET".into(), OPENAPI_JSON_PATH.into()));
    assert_eq!(
        template_routes, served,
        "the template's routes are the route table's and the API description's"
    );

    for operation in operations() {
        let name = operation.function_crate();
        let manifest = std::fs::read_to_string(root().join("functions").join(name).join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("name = \"{name}\"")));
        let main = std::fs::read_to_string(root().join("functions").join(name).join("src/main.rs")).unwrap();
        // The endpoint type of the same name, whose route `a_function_serves_only_its_own_route` checks.
        assert!(
            main.contains(&format!("lambda::run::<{operation:?}>()")),
            "functions/{name} serves {operation:?}"
        );
        for kind in ["success", "error"] {
            assert!(
                root().join("events").join(name).join(format!("{kind}.json")).is_file(),
                "events/{name}/{kind}.json"
            );
        }
        let route = ROUTES.iter().find(|r| r.operation == operation).unwrap();
        assert_eq!(
            http_routes(function(&template, name)),
            with_head(route.method.as_str(), route.path),
            "{name} is wired to its route only"
        );
    }
    assert_eq!(
        http_routes(function(&template, OPENAPI_DOCUMENT_CRATE)),
        vec![("GET".to_owned(), OPENAPI_JSON_PATH.to_owned())]
    );
    assert!(root().join("events/openapi-document/success.json").is_file());
}

/// The statements of one of a function's policies: an inline document's, or those of
/// the template's managed policy it attaches (`!If [cond, !Ref Policy, !Ref AWS::NoValue]`),
/// each conditional statement taken as granted.
fn statements<'a>(template: &'a Yaml, policy: &'a Yaml) -> Vec<&'a Yaml> {
    let listed = match crate::gateway::tagged(policy) {
        Some((tag, args)) if tag == "If" => {
            let (_, name) = crate::gateway::tagged(&args[1]).expect("a managed policy of the template");
            &template["Resources"][name.as_str().unwrap()]["Properties"]["PolicyDocument"]["Statement"]
        }
        _ => &policy["Statement"],
    };
    listed
        .as_sequence()
        .expect("a list of statements")
        .iter()
        .map(|s| match crate::gateway::tagged(s) {
            Some((tag, args)) if tag == "If" => &args[1],
            _ => s,
        })
        .collect()
}

/// Every action a function's policies allow.
fn allowed_actions(template: &Yaml, function: &Yaml) -> BTreeSet<String> {
    let mut actions = BTreeSet::new();
    for policy in function["Properties"]["Policies"].as_sequence().into_iter().flatten() {
        for statement in statements(template, policy) {
            match &statement["Action"] {
                Yaml::Sequence(list) => actions.extend(list.iter().map(text)),
                single => {
                    actions.insert(text(single));
                }
            }
        }
    }
    actions
}

#[test]
fn read_only_functions_cannot_write_and_only_the_mailer_may_email() {
    let template = template();
    for read_only in ["get-user-invite", "list-user-invites", "check-user-invite-token"] {
        for action in allowed_actions(&template, function(&template, read_only)) {
            assert!(
                // Reads of the table, and of the secrets the function verifies tokens
                // and signs cursors with.
                [
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:Query",
                    "dynamodb:DescribeTable",
                    "ssm:GetParameter",
                    "secretsmanager:GetSecretValue"
                ]
                .contains(&action.as_str()),
                "{read_only} may {action}"
            );
        }
    }
    // Only the mailer sends email; the API functions only queue it.
    for (name, function) in functions(&template) {
        let actions = allowed_actions(&template, function);
        assert!(actions.iter().all(|a| a != "*" && !a.ends_with(":*")), "{actions:?}");
        assert_eq!(
            actions.contains("ses:SendEmail"),
            name == "invite-mailer",
            "{name}: {actions:?}"
        );
    }
    // The API description touches nothing.
    let document = function(&template, OPENAPI_DOCUMENT_CRATE);
    assert!(document["Properties"]["Policies"].is_null(), "{document:?}");
}

/// An index as (name, key schema, projection type).
type IndexShape = (String, Vec<(String, String)>, String);

#[test]
fn the_template_declares_the_table_the_code_creates() {
    let template = template();
    let table = &template["Resources"]["InvitesTable"]["Properties"];
    let pairs = |list: &Yaml, a: &str, b: &str| -> Vec<(String, String)> {
        list.as_sequence()
            .unwrap()
            .iter()
            .map(|e| (text(&e[a]), text(&e[b])))
            .collect()
    };
    assert_eq!(
        pairs(&table["KeySchema"], "AttributeName", "KeyType"),
        vec![(PARTITION_KEY.into(), "HASH".into()), (SORT_KEY.into(), "RANGE".into())]
    );
    let mut attributes: BTreeSet<(String, String)> = [PARTITION_KEY, SORT_KEY, TENANT_KEY]
        .iter()
        .map(|a| (a.to_string(), "S".to_owned()))
        .collect();
    attributes.extend(LIST_INDEXES.iter().map(|i| (i.sort_key.to_owned(), "S".to_owned())));
    let declared: BTreeSet<_> = pairs(&table["AttributeDefinitions"], "AttributeName", "AttributeType")
        .into_iter()
        .collect();
    assert_eq!(declared, attributes);
    let indexes: Vec<IndexShape> = table["GlobalSecondaryIndexes"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|i| {
            (
                text(&i["IndexName"]),
                pairs(&i["KeySchema"], "AttributeName", "KeyType"),
                text(&i["Projection"]["ProjectionType"]),
            )
        })
        .collect();
    let expected: Vec<_> = LIST_INDEXES
        .iter()
        .map(|i| {
            (
                i.name.to_owned(),
                vec![
                    (TENANT_KEY.to_owned(), "HASH".to_owned()),
                    (i.sort_key.to_owned(), "RANGE".to_owned()),
                ],
                "ALL".to_owned(),
            )
        })
        .collect();
    assert_eq!(indexes, expected);
    assert_eq!(text(&table["TimeToLiveSpecification"]["AttributeName"]), TTL_ATTRIBUTE);
    assert_eq!(table["TimeToLiveSpecification"]["Enabled"].as_bool(), Some(true));
    assert_eq!(text(&table["StreamSpecification"]["StreamViewType"]), STREAM_VIEW_TYPE);
    assert_eq!(text(&table["BillingMode"]), "PAY_PER_REQUEST");
    assert_eq!(
        table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"].as_bool(),
        Some(true)
    );
    assert_eq!(table["SSESpecification"]["SSEEnabled"].as_bool(), Some(true));
}

#[test]
fn api_gateway_answers_browsers_as_invites_local_does() {
    let template = template();
    let parameter = &template["Parameters"]["CorsAllowedOrigins"];
    assert_eq!(text(&parameter["Type"]), "CommaDelimitedList");
    assert_eq!(text(&parameter["Default"]), "", "no origin is allowed by default");

    let cors = tagged(
        &template["Resources"]["InvitesApi"]["Properties"]["CorsConfiguration"],
        "If",
    );
    let [condition, configured, otherwise] = cors.as_sequence().unwrap().as_slice() else {
        panic!("!If [condition, CORS, no CORS]: {cors:?}")
    };
    assert_eq!(text(condition), "HasCorsOrigins");
    assert_eq!(text(tagged(otherwise, "Ref")), "AWS::NoValue");
    assert_eq!(text(tagged(&configured["AllowOrigins"], "Ref")), "CorsAllowedOrigins");
    let methods: Vec<String> = allow_methods().iter().map(|m| m.to_string()).collect();
    assert_eq!(strings(&configured["AllowMethods"]), methods);
    assert_eq!(strings(&configured["AllowHeaders"]), ALLOW_HEADERS);
    assert_eq!(strings(&configured["ExposeHeaders"]), EXPOSE_HEADERS);
    assert_eq!(configured["MaxAge"].as_u64(), Some(MAX_AGE_SECONDS));
    assert!(configured["AllowCredentials"].is_null(), "bearer tokens, never cookies");
}

#[test]
fn the_api_description_names_the_deployed_url_of_the_stack_output() {
    let template = template();
    let api_url = text(tagged(&template["Outputs"]["ApiUrl"]["Value"], "Sub"));
    // `ApiUrl` as an OpenAPI server URL: the stack's names become server variables.
    let pattern = api_url
        .replace("${InvitesApi}", "{apiId}")
        .replace("${AWS::Region}", "{region}")
        .replace("${AWS::URLSuffix}", "amazonaws.com");
    let pattern = pattern.trim_end_matches('/');
    let spec: Yaml = yaml_serde::from_str(OPENAPI_YAML).unwrap();
    let server = spec["servers"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| text(&s["url"]) == pattern)
        .unwrap_or_else(|| panic!("openapi.yaml's servers have no {pattern}"));
    for variable in ["apiId", "region"] {
        assert!(server["variables"][variable]["default"].is_string(), "{variable}");
    }
}

/// The `Destination` a stream mapping parks failures in, as the queue resource's name.
fn on_failure_queue(mapping: &Yaml) -> String {
    let destination = &mapping["DestinationConfig"]["OnFailure"];
    assert_eq!(text(&destination["Type"]), "SQS");
    let args = tagged(&destination["Destination"], "GetAtt");
    text(args).trim_end_matches(".Arn").to_owned()
}

#[test]
fn stream_functions_retry_bisect_and_park_what_they_cannot_process() {
    let template = template();
    for (name, queue) in [
        ("invite-mailer", "MailerDeadLetterQueue"),
        ("invite-events", "EventsDeadLetterQueue"),
    ] {
        let function = function(&template, name);
        let mapping = &function["Properties"]["Events"]["Stream"]["Properties"];
        assert_eq!(mapping["BisectBatchOnFunctionError"].as_bool(), Some(true), "{name}");
        assert_eq!(
            strings(&mapping["FunctionResponseTypes"]),
            ["ReportBatchItemFailures"],
            "{name}"
        );
        assert!(
            mapping["MaximumRetryAttempts"].as_u64().is_some_and(|n| n > 0),
            "{name}"
        );
        assert_eq!(on_failure_queue(mapping), queue, "{name}");
        assert_eq!(template["Resources"][queue]["Type"].as_str(), Some("AWS::SQS::Queue"));
        assert!(
            allowed_actions(&template, function).contains("sqs:SendMessage"),
            "{name}"
        );
    }
}

#[test]
fn the_events_function_sees_every_write_of_an_invite_and_nothing_else() {
    let template = template();
    let function = function(&template, "invite-events");
    let mapping = &function["Properties"]["Events"]["Stream"]["Properties"];
    let pattern: serde_json::Value =
        serde_json::from_str(&text(&mapping["FilterCriteria"]["Filters"][0]["Pattern"])).unwrap();
    // What tests/support/stream.rs's invite_records passes to the handler in tests/lambda/events.rs.
    assert_eq!(
        pattern,
        serde_json::json!({ "eventName": ["INSERT", "MODIFY"], "dynamodb": { "Keys": { SORT_KEY: { "S": ["INVITE"] } } } })
    );
    // The stream must hold the image before the write, or no change can be told.
    assert_eq!(STREAM_VIEW_TYPE, "NEW_AND_OLD_IMAGES");
    assert_eq!(
        allowed_actions(&template, function),
        BTreeSet::from(["events:PutEvents".to_owned(), "sqs:SendMessage".to_owned()]),
        "it reads no table and no secret"
    );
    let variables = &function["Properties"]["Environment"]["Variables"];
    let bus = strings(tagged(&variables["INVITES_EVENT_BUS"], "If"));
    assert_eq!(bus[0], "CreatesEventBus");
    assert_eq!(text(tagged(&variables["INVITES_EVENT_SOURCE"], "Ref")), "EventSource");
}

#[test]
fn the_expiry_sweep_runs_every_minute_one_at_a_time() {
    let template = template();
    let function = function(&template, "invite-expiry-sweep");
    let schedule = &function["Properties"]["Events"]["EveryMinute"];
    assert_eq!(text(&schedule["Type"]), "ScheduleV2");
    assert_eq!(text(&schedule["Properties"]["ScheduleExpression"]), "rate(1 minute)");
    assert_eq!(function["Properties"]["ReservedConcurrentExecutions"].as_u64(), Some(1));
    let actions = allowed_actions(&template, function);
    assert!(actions.contains("dynamodb:Query") && actions.contains("dynamodb:PutItem"));
    assert!(
        !actions
            .iter()
            .any(|a| a.starts_with("ses:") || a.starts_with("events:"))
    );
}

#[test]
fn the_webhook_exists_only_with_its_url_and_parks_what_it_cannot_deliver() {
    let template = template();
    let webhook = [
        "WebhookConnection",
        "WebhookDestination",
        "WebhookRule",
        "WebhookRole",
        "WebhookDeadLetterQueue",
        "WebhookDeadLetterQueuePolicy",
    ];
    for name in webhook {
        assert_eq!(text(&template["Resources"][name]["Condition"]), "HasWebhook", "{name}");
    }
    let target = &template["Resources"]["WebhookRule"]["Properties"]["Targets"][0];
    assert_eq!(
        text(&target["InputPath"]),
        "$.detail",
        "the body is the event's envelope"
    );
    assert!(
        target["RetryPolicy"]["MaximumRetryAttempts"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
    assert_eq!(
        text(tagged(&target["DeadLetterConfig"]["Arn"], "GetAtt")),
        "WebhookDeadLetterQueue.Arn"
    );
    let pattern = &template["Resources"]["WebhookRule"]["Properties"]["EventPattern"]["source"][0];
    assert_eq!(text(tagged(pattern, "Ref")), "EventSource");
    // The secret is read from Secrets Manager at deploy time: no parameter holds it.
    let key = text(tagged(
        &template["Resources"]["WebhookConnection"]["Properties"]["AuthParameters"]["ApiKeyAuthParameters"]["ApiKeyValue"],
        "Sub",
    ));
    assert_eq!(
        key,
        "Bearer {{resolve:secretsmanager:${WebhookSecretArn}:SecretString}}"
    );
}

#[test]
fn the_mailer_shares_the_send_rate_among_its_reserved_instances_and_retries_from_its_queue() {
    let template = template();
    let mailer = function(&template, "invite-mailer");
    let properties = &mailer["Properties"];
    // The instances that may run at once are the ones the rate is divided among.
    assert_eq!(
        text(tagged(&properties["ReservedConcurrentExecutions"], "Ref")),
        "MailerConcurrency"
    );
    let variables = &properties["Environment"]["Variables"];
    assert_eq!(
        text(tagged(&variables["INVITES_MAILER_CONCURRENCY"], "Ref")),
        "MailerConcurrency"
    );
    assert_eq!(
        text(tagged(&variables["INVITES_SES_MAX_SEND_RATE"], "Ref")),
        "SesMaxSendRate"
    );
    assert_eq!(
        text(tagged(&variables["INVITES_MAIL_RETRY_QUEUE_URL"], "Ref")),
        "MailRetryQueue"
    );
    let retries = &properties["Events"]["Retries"];
    assert_eq!(text(&retries["Type"]), "SQS");
    assert_eq!(
        text(tagged(&retries["Properties"]["Queue"], "GetAtt")),
        "MailRetryQueue.Arn"
    );
    assert_eq!(
        strings(&retries["Properties"]["FunctionResponseTypes"]),
        ["ReportBatchItemFailures"]
    );
    let queue = &template["Resources"]["MailRetryQueue"]["Properties"];
    assert!(queue["VisibilityTimeout"].as_u64().unwrap() >= 6 * properties["Timeout"].as_u64().unwrap());
    assert_eq!(
        text(tagged(&queue["RedrivePolicy"]["deadLetterTargetArn"], "GetAtt")),
        "MailerDeadLetterQueue.Arn"
    );
    let actions = allowed_actions(&template, mailer);
    assert!(actions.contains("ses:GetAccount") && actions.contains("sqs:SendMessage"));
}

#[test]
fn ses_reports_bounces_complaints_and_deliveries_to_the_feedback_function() {
    let template = template();
    let destination = &template["Resources"]["InvitesConfigurationSetFeedback"]["Properties"];
    assert_eq!(
        text(tagged(&destination["ConfigurationSetName"], "Ref")),
        "InvitesConfigurationSet"
    );
    let event_destination = &destination["EventDestination"];
    assert_eq!(
        strings(&event_destination["MatchingEventTypes"]),
        ["bounce", "complaint", "delivery", "reject"]
    );
    assert_eq!(
        text(tagged(&event_destination["SnsDestination"]["TopicARN"], "Ref")),
        "EmailFeedbackTopic"
    );
    let feedback = function(&template, "invite-email-feedback");
    let subscription = &feedback["Properties"]["Events"]["Feedback"];
    assert_eq!(text(&subscription["Type"]), "SNS");
    assert_eq!(
        text(tagged(&subscription["Properties"]["Topic"], "Ref")),
        "EmailFeedbackTopic"
    );
    assert_eq!(
        text(tagged(
            &feedback["Properties"]["DeadLetterQueue"]["TargetArn"],
            "GetAtt"
        )),
        "FeedbackDeadLetterQueue.Arn"
    );
    // Every function sends with the stack's configuration set unless one is named.
    let set = strings(tagged(
        &template["Globals"]["Function"]["Environment"]["Variables"]["INVITES_SES_CONFIGURATION_SET"],
        "If",
    ));
    assert_eq!(set[0], "CreatesConfigurationSet");
}
