//! The OpenAPI 3.1 document, generated from the handlers' annotations and the contract's
//! types through the routers themselves (`utoipa_axum`), served at `/api/openapi.json`. A
//! snapshot test keeps it in review.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use crate::routes;
use crate::state::AppState;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Civic API",
        description = "The REST API of a city's 12345 governance platform: cases, open government \
            information, announcements and performance statistics. Every 4xx and 5xx answer carries an ErrorBody.",
        license(name = "MIT OR Apache-2.0"),
    ),
    components(schemas(api::ErrorBody, api::ErrorCode, api::FieldError, api::FieldErrorCode)),
    tags(
        (name = "meta", description = "The taxonomy forms and filters need"),
        (name = "cases", description = "Residents' cases (诉求)"),
        (name = "documents", description = "Open government information (政府信息公开)"),
        (name = "announcements", description = "Policy announcements (通知公告)"),
        (name = "stats", description = "Public performance statistics"),
        (name = "staff", description = "The work queue, a case with its audit trail, and moving a case through its life (a staff account's bearer token; what it may do is its role's)"),
        (name = "health", description = "Liveness and readiness, for operators"),
    ),
    modifiers(&StaffTokenScheme)
)]
pub struct ApiDoc;

/// Declares the staff API's bearer token.
struct StaffTokenScheme;

impl utoipa::Modify for StaffTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "staff_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document for a server whose taxonomy is `meta`, as pretty JSON: [`ApiDoc`]'s
/// description, tags and security schemes, with the paths and schemas of the very routers
/// the server runs (`routes::api_v1`, `routes::operations`), and what the annotations cannot
/// say added ([`constrain`], [`constrain_bodies`]).
pub fn document_for(meta: &api::Meta) -> String {
    let (_, api) = routes::api_v1().split_for_parts();
    let (_, operations) = routes::operations().split_for_parts();
    let mut document = ApiDoc::openapi()
        .nest(api::API_PREFIX, api)
        .merge_from(operations);
    constrain(&mut document, meta);
    // Through JSON and back, so the document keeps utoipa's order of keys.
    let mut json = serde_json::to_value(&document).unwrap_or_default();
    constrain_bodies(&mut json, meta);
    serde_json::from_value::<utoipa::openapi::OpenApi>(json)
        .and_then(|document| document.to_pretty_json())
        .unwrap_or_else(|_| "{}".to_owned())
}

/// The document with the built-in taxonomy (`taxonomy::chengdu`), as snapshotted.
pub fn document_json() -> String {
    document_for(&crate::taxonomy::chengdu().meta())
}

/// `GET /api/openapi.json`: the document for this server's taxonomy, written at start-up.
pub async fn serve(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi.to_string(),
    )
}

/// A case number, `YYYYMMDD-NNNN`: month 01–12, day 01–31, a sequence of 4 to 6 digits that
/// is not all zeros (`api::CaseNumber::parse`; `tests/api/openapi.rs` holds the two together).
pub const CASE_NUMBER_PATTERN: &str = "^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])-([1-9][0-9]{3,5}|0[1-9][0-9]{2,4}|00[1-9][0-9]{1,3}|000[1-9][0-9]{0,2}|0000[1-9][0-9]?|00000[1-9])$";
/// A tracking code as the receipt shows it (`api::tracking_code`, which also forgives case,
/// spaces and O/I/L typed for 0/1).
pub const TRACKING_CODE_PATTERN: &str =
    "^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$";

/// A day, `YYYY-MM-DD` in the years a query may name ([`api::limits::QUERY_YEARS`]); an
/// empty one is refused, as the server refuses it. Whether the day exists (no 31 February)
/// the server checks.
pub const DAY_PATTERN: &str = api::limits::QUERY_DAY_PATTERN;

/// What the annotations cannot say, by parameter name and place wherever the parameter
/// appears: the formats of `crates/api` (case numbers, tracking codes, idempotency keys,
/// upload ids), positive ids, cursors that are not empty, and the codes of the taxonomy.
fn constrain(document: &mut utoipa::openapi::OpenApi, taxonomy: &api::Meta) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::openapi::{RefOr, Required};
    let codes = |codes: Vec<&str>| {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(codes))
                .build(),
        )
    };
    let pattern = |pattern: &str| {
        Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(pattern))
                .build(),
        )
    };
    let districts: Vec<&str> = taxonomy.districts.iter().map(|t| t.code.as_str()).collect();
    let departments: Vec<&str> = taxonomy
        .departments
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    let categories: Vec<&str> = taxonomy
        .categories
        .iter()
        .map(|c| c.code.as_str())
        .collect();
    let groups: Vec<&str> = taxonomy
        .categories
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| c.code.as_str())
        .collect();
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            let parameters = operation.parameters.iter_mut().flatten();
            for parameter in parameters.filter_map(|p| match p {
                RefOr::T(parameter) => Some(parameter),
                RefOr::Ref(_) => None,
            }) {
                let integer = matches!(
                    &parameter.schema,
                    Some(RefOr::T(Schema::Object(o))) if o.schema_type == Type::Integer.into()
                );
                let schema = match (parameter.name.as_str(), &parameter.parameter_in) {
                    ("number", ParameterIn::Path) => pattern(CASE_NUMBER_PATTERN),
                    ("id" | "position", ParameterIn::Path) if integer => Schema::Object(
                        ObjectBuilder::new()
                            .schema_type(Type::Integer)
                            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                                utoipa::openapi::KnownFormat::Int64,
                            )))
                            .minimum(Some(1))
                            .build(),
                    ),
                    ("id", ParameterIn::Path) => pattern("^[0-9a-f]{32}$"),
                    ("X-Tracking-Code", ParameterIn::Header) => pattern(TRACKING_CODE_PATTERN),
                    ("Idempotency-Key", ParameterIn::Header) => pattern("^[A-Za-z0-9_-]{8,64}$"),
                    ("q", ParameterIn::Query) => pattern(&api::limits::QUERY_TEXT.pattern()),
                    ("text", ParameterIn::Query) => pattern(&api::limits::SIMILAR_TEXT.pattern()),
                    ("from" | "to", ParameterIn::Query) => pattern(DAY_PATTERN),
                    ("cursor", ParameterIn::Query) => Schema::Object(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .min_length(Some(1))
                            .description(Some(
                                "Opaque: only the `next_cursor` of the page before, asked \
                                 with the same filters and order; any other value is 400.",
                            ))
                            .build(),
                    ),
                    ("district", ParameterIn::Query) => codes(districts.clone()),
                    ("department" | "agency", ParameterIn::Query) => codes(departments.clone()),
                    ("category", ParameterIn::Query) => codes(categories.clone()),
                    ("topic", ParameterIn::Query) => codes(groups.clone()),
                    _ => continue,
                };
                parameter.schema = Some(RefOr::T(schema));
                if parameter.parameter_in == ParameterIn::Path {
                    parameter.required = Required::True;
                }
            }
        }
    }
}

/// The request bodies' fields as the contract checks them (`NewCase::validate` and its
/// kin): each text field's [`api::validate::TextRule`] as a pattern, the mobile number's and
/// the tracking code's formats, photo ids, the taxonomy's codes, and the fields that may be
/// absent or null in a draft but not in a request.
fn constrain_bodies(document: &mut serde_json::Value, taxonomy: &api::Meta) {
    use api::limits::{
        COMMENT_TEXT, DESCRIPTION_TEXT, EXTENSION_MAX_WORKING_DAYS, FOLLOW_UP_TEXT, NAME_TEXT,
        PHOTOS_MAX, PLACE_TEXT, REASON_TEXT, REPLY_TEXT, TITLE_TEXT,
    };
    use serde_json::{Value, json};
    let text = |rule: api::validate::TextRule| json!({"type": "string", "pattern": rule.pattern()});
    let codes = |codes: Vec<&str>| json!({"type": "string", "enum": codes});
    let tracking_code = json!({"type": "string", "pattern": TRACKING_CODE_PATTERN});
    let districts = taxonomy.districts.iter().map(|t| t.code.as_str()).collect();
    let departments = taxonomy
        .departments
        .iter()
        .map(|t| t.code.as_str())
        .collect();
    let categories = taxonomy
        .categories
        .iter()
        .filter(|c| c.parent.is_some())
        .map(|c| c.code.as_str())
        .collect();
    let fields: Vec<(&str, &str, Value)> = vec![
        (
            "NewCase",
            "kind",
            json!({"$ref": "#/components/schemas/CaseKind"}),
        ),
        ("NewCase", "category", codes(categories)),
        ("NewCase", "district", codes(districts)),
        ("NewCase", "place", text(PLACE_TEXT)),
        ("NewCase", "title", text(TITLE_TEXT)),
        ("NewCase", "description", text(DESCRIPTION_TEXT)),
        (
            "NewCase",
            "latitude",
            json!({"type": ["number", "null"], "minimum": -90, "maximum": 90}),
        ),
        (
            "NewCase",
            "longitude",
            json!({"type": ["number", "null"], "minimum": -180, "maximum": 180}),
        ),
        (
            "NewCase",
            "photos",
            json!({"type": "array", "maxItems": PHOTOS_MAX,
                   "items": {"type": "string", "pattern": "^[0-9a-f]{32}$"}}),
        ),
        (
            "NewCase",
            "privacy_accepted",
            json!({"type": "boolean", "enum": [true]}),
        ),
        // Inline: `Contact` is also what the owner's and the staff's views answer.
        (
            "NewCase",
            "contact",
            json!({"type": "object", "required": ["name", "phone"], "properties": {
                "name": text(NAME_TEXT),
                "phone": {"type": "string", "pattern": api::validate::mobile_pattern()},
            }}),
        ),
        ("NewRating", "tracking_code", tracking_code.clone()),
        (
            "NewRating",
            "rating",
            json!({"$ref": "#/components/schemas/Rating"}),
        ),
        ("NewRating", "comment", text(COMMENT_TEXT)),
        ("NewFollowUp", "tracking_code", tracking_code.clone()),
        ("TextsChoice", "tracking_code", tracking_code),
        ("NewFollowUp", "text", text(FOLLOW_UP_TEXT)),
        ("ReviewDecision", "title", text(TITLE_TEXT)),
        ("ReviewDecision", "description", text(DESCRIPTION_TEXT)),
        ("ReviewDecision", "place", text(PLACE_TEXT)),
        ("ReviewDecision", "reason", text(REASON_TEXT)),
        ("StaffAction", "reason", text(REASON_TEXT)),
        ("StaffAction", "text", text(REPLY_TEXT)),
        ("StaffAction", "department", codes(departments)),
        (
            "StaffAction",
            "working_days",
            json!({"type": "integer", "minimum": 1, "maximum": EXTENSION_MAX_WORKING_DAYS}),
        ),
    ];
    let required = [
        ("NewCase", "kind"),
        ("NewCase", "privacy_accepted"),
        ("NewRating", "rating"),
    ];
    let schemas = &mut document["components"]["schemas"];
    // Coordinates come in pairs.
    schemas["NewCase"]["dependentRequired"] =
        json!({"latitude": ["longitude"], "longitude": ["latitude"]});
    for (schema, field, rule) in fields {
        for object in objects_with(&mut schemas[schema], field) {
            let property = &mut object["properties"][field];
            let description = property.get("description").cloned();
            *property = rule.clone();
            if let Some(description) = description {
                property["description"] = description;
            }
        }
    }
    for (schema, field) in required {
        if let Some(list) = schemas[schema]["required"].as_array_mut()
            && !list.iter().any(|f| f == field)
        {
            list.push(field.into());
        }
    }
    // The upload's body is required, and holds one part.
    if let Some(body) = document.pointer_mut("/paths/~1api~1v1~1uploads/post/requestBody") {
        body["required"] = json!(true);
        body["content"]["multipart/form-data"]["schema"] = json!({
            "type": "object",
            "required": ["file"],
            "additionalProperties": false,
            "properties": {"file": {"type": "string", "contentMediaType": "image/jpeg",
                "minLength": 1, "description": "A JPEG, PNG or WebP image (not empty)"}},
        });
    }
}

/// The object schemas in `schema` (itself, or its `oneOf` variants) with a property `field`.
fn objects_with<'a>(
    schema: &'a mut serde_json::Value,
    field: &str,
) -> Vec<&'a mut serde_json::Value> {
    if schema["properties"].get(field).is_some() {
        return vec![schema];
    }
    match schema.get_mut("oneOf").and_then(|v| v.as_array_mut()) {
        Some(variants) => variants
            .iter_mut()
            .filter(|v| v["properties"].get(field).is_some())
            .collect(),
        None => Vec::new(),
    }
}
