//! Mounts the podlife playground on the page's `<body>`.

fn main() {
    yew::Renderer::<podlife_web::components::App>::new().render();
}
