pub fn render(_t: &str, _d: &serde_json::Value) -> Result<String, TemplateError> { Err(TemplateError{message: "templates not ready".into()}) }
#[derive(Debug, Clone, PartialEq, Eq)] pub struct TemplateError { pub message: String }
