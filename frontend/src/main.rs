//! The page's entry point: Trunk builds this binary to wasm and loads it.

fn main() {
    let props = porthole_web::AppProps::from_location();
    yew::Renderer::<porthole_web::App>::with_props(props).render();
}
