//! `agones-lint init`: writes a starter configuration.

use crate::app::{Fatal, EXIT_OK};

pub fn run(force: bool) -> Result<u8, Fatal> {
    let path = std::path::Path::new(crate::config::FILE_NAME);
    if path.exists() && !force {
        return Err(
            Fatal::new(format!("{} already exists", crate::config::FILE_NAME))
                .help("pass --force to overwrite it"),
        );
    }
    std::fs::write(path, crate::config::STARTER)
        .map_err(|e| Fatal::new(format!("cannot write {}: {e}", crate::config::FILE_NAME)))?;
    eprintln!(
        "wrote {}: every setting is commented out; edit it to taste",
        crate::config::FILE_NAME
    );
    Ok(EXIT_OK)
}
