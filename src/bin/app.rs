//! The WebAssembly client: mounts the control room app into the page (built by Trunk).

use order_control_room::ui;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ui::App);
}
