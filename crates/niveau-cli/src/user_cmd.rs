//! `niveau user …`: accounts with local passwords, and API tokens, from the command line.
//! This is how the first administrator is made; later ones can be made in the web
//! application too. The commands call the same account operations as the web application
//! ([`niveau_app::accounts`]), as the console operator ([`Principal::system`]).

use std::io::BufRead as _;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use niveau_app::accounts::{self, MIN_PASSWORD_CHARS, SetPassword, TokenInput, UserInput};
use niveau_app::{App, AppError, ErrorKind, Principal};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::accounts::{MAX_TOKEN_DAYS, UserUpdate};
use niveau_store::entity::user_account;
use niveau_store::types::Role;

use crate::db_cmd::{DbArgs, connect_migrated, runtime};

/// The name written in the audit log for changes made with `niveau user`.
pub const ACTOR: &str = "niveau user";

/// `niveau user` with its database flags.
#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub db: DbArgs,
    #[command(subcommand)]
    pub command: UserCommand,
}

/// The `niveau user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with a local password (at least 12 characters).
    ///
    /// The password is asked for twice on the terminal, without echo; with
    /// --password-stdin the first line of standard input is the password.
    /// Example: `niveau user add --admin anna`.
    Add {
        /// Login name: letters, digits and . - _ @.
        name: String,
        /// Make the account an administrator (everything, including accounts).
        #[arg(long)]
        admin: bool,
        /// A role: admin, sekretariat, bestyrelse, produktredaktør (produktredaktor),
        /// læser (laeser). Repeat for several. Default: læser, or produktredaktør with
        /// --product.
        #[arg(long = "role", value_name = "ROLE", value_parser = parse_role)]
        roles: Vec<Role>,
        /// A product (slug) a produktredaktør may edit. Repeat for several.
        #[arg(long = "product", value_name = "SLUG")]
        products: Vec<String>,
        /// The name shown (default: the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// E-mail address.
        #[arg(long)]
        email: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List the accounts.
    List,
    /// Set a new password for an account (at least 12 characters); ends its sessions and
    /// revokes its API tokens (keep them with --keep-tokens).
    Passwd {
        /// Login name.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Keep the account's API tokens working (default: revoke them, since whoever knew
        /// the old password may have made one).
        #[arg(long)]
        keep_tokens: bool,
    },
    /// Make an API token for an account and print it once; only its hash is stored.
    ///
    /// Use it as `Authorization: Bearer <token>`. Example:
    /// `niveau user token anna --name ci --scope read --scope write --expires-days 90`.
    Token {
        /// Login name.
        name: String,
        /// What the token is for (shown in the token list).
        #[arg(long = "name", value_name = "LABEL", id = "label")]
        label: String,
        /// read (reading only) or write (also the changes the account's roles allow).
        /// Repeat for both. Default: read.
        #[arg(long = "scope", value_name = "SCOPE", value_parser = ["read", "write"])]
        scopes: Vec<String>,
        /// The token stops working after this many days, 1 to 3650 (default: never).
        #[arg(long, value_name = "N")]
        expires_days: Option<u32>,
    },
    /// Disable an account: it cannot log in, and its sessions and tokens stop working.
    Disable {
        /// Login name.
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// Login name.
        name: String,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    let normalised = match text.trim().to_lowercase().as_str() {
        "produktredaktor" => "produktredaktør".to_string(),
        "laeser" | "reader" => "læser".to_string(),
        other => other.to_string(),
    };
    Role::parse(&normalised)
        .ok_or_else(|| format!("unknown role '{text}'; known: {}", Role::expected()))
}

/// Read a password: from the first line of stdin, or twice from the terminal.
fn read_password(from_stdin: bool, lang: Lang) -> Result<String> {
    let password = if from_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| {
            let io = Msg::io(&e);
            crate::fail(
                format!("kan ikke læse adgangskoden fra standard input: {}", io.da),
                format!("cannot read the password from standard input: {}", io.en),
            )
        })?;
        line.trim_end_matches(['\n', '\r']).to_string()
    } else {
        let first = rpassword::prompt_password(lang.pick("Adgangskode: ", "Password: "))
            .map_err(|e| {
                let io = Msg::io(&e);
                crate::fail(
                    format!(
                        "kan ikke spørge efter adgangskoden uden en terminal; brug --password-stdin ({})",
                        io.da
                    ),
                    format!(
                        "cannot ask for the password without a terminal; use --password-stdin ({})",
                        io.en
                    ),
                )
            })?;
        check_password(&first, lang)?;
        let second = rpassword::prompt_password(
            lang.pick("Gentag adgangskoden: ", "Repeat the password: "),
        )?;
        if first != second {
            bail!(
                "{}",
                lang.pick("de to adgangskoder er ikke ens", "the two passwords differ")
            );
        }
        first
    };
    check_password(&password, lang)?;
    Ok(password)
}

fn check_password(password: &str, lang: Lang) -> Result<()> {
    if accounts::check_password(password).is_err() {
        let chars = password.chars().count();
        bail!(
            "{} {MIN_PASSWORD_CHARS} {} ({} {chars})",
            lang.pick(
                "adgangskoden skal have mindst",
                "the password must have at least"
            ),
            lang.pick("tegn", "characters"),
            lang.pick("den har", "it has"),
        );
    }
    Ok(())
}

/// An operation's refusal as the command says it: in `lang`, after the field at fault; a
/// failure that is not the operator's (the database) with its cause.
fn refusal(error: AppError, lang: Lang) -> anyhow::Error {
    if error.kind() == ErrorKind::Internal {
        // The operator reads the cause (the database's words, quoted).
        return crate::Bilingual(crate::app_msg(error)).into();
    }
    let message = error.message();
    match error.field() {
        Some(field) if field != "version" => anyhow!("{field}: {}", lang.msg(&message)),
        _ => anyhow!("{}", lang.msg(&message)),
    }
}

async fn find_user(
    app: &App,
    who: &Principal,
    name: &str,
    lang: Lang,
) -> Result<user_account::Model> {
    let found = accounts::user_by_name(app, Some(who), name)
        .await
        .map_err(|e| refusal(e, lang))?;
    found.ok_or_else(|| {
        anyhow!(
            "{} '{name}' {}",
            lang.pick("kontoen", "the account"),
            lang.pick(
                "findes ikke (se niveau user list)",
                "does not exist (see niveau user list)"
            )
        )
    })
}

/// Run a `niveau user` subcommand.
pub fn run(args: UserArgs, lang: Lang) -> Result<ExitCode> {
    let config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    // Read the password before connecting, so a prompt is not interleaved with logs.
    let password = match &args.command {
        UserCommand::Add { password_stdin, .. } | UserCommand::Passwd { password_stdin, .. } => {
            Some(read_password(*password_stdin, lang)?)
        }
        _ => None,
    };
    let who = Principal::system(ACTOR);
    let registry = crate::builtin_registry()?;
    runtime()?.block_on(async {
        let app = App::new(connect_migrated(&config, lang).await?, Arc::new(registry));
        let store = app.store();
        match args.command {
            UserCommand::Add {
                name,
                admin,
                mut roles,
                products,
                display_name,
                email,
                ..
            } => {
                if admin && !roles.contains(&Role::Admin) {
                    roles.insert(0, Role::Admin);
                }
                if roles.is_empty() {
                    roles.push(if products.is_empty() {
                        Role::Laeser
                    } else {
                        Role::Produktredaktor
                    });
                }
                let mut product_ids = Vec::with_capacity(products.len());
                for slug in &products {
                    let product = store.product_by_slug(slug).await.map_err(|_| {
                        anyhow!(
                            "--product {slug}: {}",
                            lang.pick("intet produkt med den slug", "no product with that slug")
                        )
                    })?;
                    product_ids.push(product.id);
                }
                let input = UserInput {
                    display_name: display_name.unwrap_or_else(|| name.clone()),
                    username: name,
                    email,
                    password: Some(password.unwrap_or_default()),
                    roles,
                    product_ids,
                };
                let user = accounts::create_user(&app, Some(&who), input)
                    .await
                    .map_err(|e| refusal(e, lang))?;
                outln!(
                    "{} {} (id {}, {}: {})",
                    lang.pick("oprettede kontoen", "created the account"),
                    user.username,
                    user.id,
                    lang.pick("roller", "roles"),
                    roles_text(&user.roles)
                );
            }
            UserCommand::List => {
                let mut offset = 0;
                let mut rows = Vec::new();
                loop {
                    let params = ListParams {
                        limit: Some(niveau_store::list::MAX_LIMIT),
                        offset: Some(offset),
                        ..Default::default()
                    };
                    let page = accounts::list_users(&app, Some(&who), &params)
                        .await
                        .map_err(|e| refusal(e, lang))?;
                    let n = page.items.len() as u64;
                    rows.extend(page.items);
                    offset += n;
                    if n == 0 || offset >= page.total {
                        break;
                    }
                }
                if rows.is_empty() {
                    outln!(
                        "{}",
                        lang.pick(
                            "ingen konti; opret den første med: niveau user add --admin NAVN",
                            "no accounts; create the first with: niveau user add --admin NAME"
                        )
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                outln!(
                    "{:<24} {:<28} {:<32} {:<10} {}",
                    lang.pick("login", "login"),
                    lang.pick("navn", "name"),
                    lang.pick("roller", "roles"),
                    lang.pick("status", "state"),
                    lang.pick("produkter", "products")
                );
                for user in rows {
                    let mut slugs = Vec::new();
                    for id in &user.product_ids {
                        match store.product(*id).await {
                            Ok(p) => slugs.push(p.slug),
                            Err(_) => slugs.push(id.to_string()),
                        }
                    }
                    let state = if user.disabled {
                        lang.pick("deaktiveret", "disabled")
                    } else if user.locked_until.is_some_and(|t| t > chrono::Utc::now()) {
                        lang.pick("låst", "locked")
                    } else {
                        lang.pick("aktiv", "active")
                    };
                    outln!(
                        "{:<24} {:<28} {:<32} {:<10} {}",
                        user.username,
                        user.display_name,
                        roles_text(&user.roles),
                        state,
                        slugs.join(", ")
                    );
                }
            }
            UserCommand::Passwd {
                name, keep_tokens, ..
            } => {
                let user = find_user(&app, &who, &name, lang).await?;
                let input = SetPassword {
                    password: password.unwrap_or_default(),
                    revoke_tokens: !keep_tokens,
                    own_session: None,
                };
                let changed = accounts::set_password(&app, Some(&who), user.id, input)
                    .await
                    .map_err(|e| refusal(e, lang))?
                    .changed;
                outln!(
                    "{} {name}; {} {}; {} {}",
                    lang.pick("ny adgangskode for", "new password for"),
                    lang.pick("sessioner afsluttet:", "sessions ended:"),
                    changed.sessions_ended,
                    lang.pick("API-tokens tilbagekaldt:", "API tokens revoked:"),
                    changed.tokens_revoked,
                );
            }
            UserCommand::Token {
                name,
                label,
                mut scopes,
                expires_days,
            } => {
                let user = find_user(&app, &who, &name, lang).await?;
                if scopes.is_empty() {
                    scopes.push("read".into());
                }
                scopes.sort();
                scopes.dedup();
                let input = TokenInput {
                    name: label.clone(),
                    scopes: scopes.clone(),
                    expires_days,
                };
                let made = match accounts::create_token_for(&app, Some(&who), user.id, input).await
                {
                    Ok(made) => made,
                    Err(e) if e.field() == Some("expires_days") => bail!(
                        "{} {MAX_TOKEN_DAYS} ({} {})",
                        lang.pick(
                            "--expires-days skal være et antal dage fra 1 til",
                            "--expires-days must be a number of days from 1 to"
                        ),
                        lang.pick("fik", "got"),
                        expires_days.unwrap_or_default()
                    ),
                    Err(e) => return Err(refusal(e, lang)),
                };
                let (token, expires_at) = (made.token, made.info.expires_at);
                // The token alone on standard output, so scripts can capture it; the
                // explanation on standard error.
                eprintln!(
                    "{} '{label}' {} {name} ({}: {}{}). {}",
                    lang.pick("API-token", "API token"),
                    lang.pick("for", "for"),
                    lang.pick("scopes", "scopes"),
                    scopes.join(", "),
                    match expires_at {
                        Some(at) => format!(
                            ", {} {}",
                            lang.pick("udløber", "expires"),
                            at.format("%Y-%m-%d")
                        ),
                        None => String::new(),
                    },
                    lang.pick(
                        "Det vises kun denne ene gang; gem det nu.",
                        "It is shown only this once; store it now."
                    )
                );
                outln!("{token}");
            }
            UserCommand::Disable { name } => set_disabled(&app, &who, &name, true, lang).await?,
            UserCommand::Enable { name } => set_disabled(&app, &who, &name, false, lang).await?,
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn set_disabled(
    app: &App,
    who: &Principal,
    name: &str,
    disable: bool,
    lang: Lang,
) -> Result<()> {
    let user = find_user(app, who, name, lang).await?;
    let change = UserUpdate {
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        roles: user.roles.0.clone(),
        product_ids: user.product_ids.0.clone(),
        disabled: disable,
        version: Some(user.version),
    };
    let updated = accounts::update_user(app, Some(who), user.id, user.version, change).await;
    match updated {
        Err(e) if accounts::is_last_admin(&e) => bail!(
            "{name}: {}",
            lang.pick(
                "den sidste aktive administrator kan ikke deaktiveres; giv først en anden konto rollen admin (niveau user add --admin)",
                "the last active administrator cannot be disabled; first give another account the admin role (niveau user add --admin)"
            )
        ),
        other => other.map_err(|e| refusal(e, lang))?,
    };
    outln!(
        "{} {name}",
        if disable {
            lang.pick("deaktiverede", "disabled")
        } else {
            lang.pick("aktiverede", "enabled")
        }
    );
    Ok(())
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_with_and_without_danish_letters() {
        assert_eq!(parse_role("admin"), Ok(Role::Admin));
        assert_eq!(parse_role("Sekretariat"), Ok(Role::Sekretariat));
        assert_eq!(parse_role("produktredaktør"), Ok(Role::Produktredaktor));
        assert_eq!(parse_role("produktredaktor"), Ok(Role::Produktredaktor));
        assert_eq!(parse_role("laeser"), Ok(Role::Laeser));
        assert_eq!(
            parse_role("boss"),
            Err("unknown role 'boss'; known: admin, sekretariat, bestyrelse, produktredaktør, læser".to_string())
        );
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(check_password("æøåæøåæøåæøå", Lang::En).is_ok());
        let err = check_password("kort", Lang::En).unwrap_err().to_string();
        assert_eq!(
            err,
            "the password must have at least 12 characters (it has 4)"
        );
    }
}
