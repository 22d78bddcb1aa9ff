//! Which remote repository locations a clone may reach: one policy for the server's scan
//! worker (named forges only, https, no private networks) and for `niveau check` (any
//! host, but only https, http and ssh).
//!
//! The policy is applied in two steps. [`RemotePolicy::check`] reads the location alone
//! (scheme, credentials, host, port, path) and needs no network: the server applies it
//! when a product is saved and when a scan is queued. [`RemotePolicy::resolve`] then
//! resolves the host once and refuses it if *any* of its addresses is loopback,
//! link-local, private, shared (CGNAT), multicast, unspecified, reserved or
//! documentation space, also when hidden in an IPv4-mapped, IPv4-compatible, NAT64 or
//! 6to4 IPv6 address. The clone then connects to exactly the addresses checked (see
//! [`crate::clone`]), so that a second DNS answer cannot point it elsewhere.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use gix::bstr::ByteSlice;

/// The forges the server clones from when the administrator names none.
pub const DEFAULT_ALLOWED_HOSTS: &[&str] =
    &["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"];

/// What may be cloned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemotePolicy {
    /// Host names (lower case) that may be cloned from, each `host` (default port of the
    /// scheme) or `host:port`; `*.example.org` allows every subdomain of `example.org`.
    /// `None`: any host.
    pub allowed_hosts: Option<Vec<String>>,
    /// `http://` (unencrypted) is allowed.
    pub allow_http: bool,
    /// `ssh://` and `user@host:path` are allowed (these run the `ssh` program).
    pub allow_ssh: bool,
    /// A user name or password in an http(s) location is allowed.
    pub allow_credentials: bool,
    /// Check the host's addresses ([`RemotePolicy::resolve`]); off, no address is
    /// refused.
    pub check_addresses: bool,
    /// Loopback addresses are allowed although addresses are checked. Only for tests
    /// that serve a repository on 127.0.0.1; never read from a configuration file.
    pub allow_loopback: bool,
}

impl RemotePolicy {
    /// The server's policy: https to `allowed_hosts`, http and ssh only when enabled, no
    /// credentials, every address checked.
    pub fn server(allowed_hosts: Vec<String>, allow_http: bool, allow_ssh: bool) -> Self {
        RemotePolicy {
            allowed_hosts: Some(
                allowed_hosts
                    .into_iter()
                    .map(|h| h.trim().to_ascii_lowercase())
                    .collect(),
            ),
            allow_http,
            allow_ssh,
            allow_credentials: false,
            check_addresses: true,
            allow_loopback: false,
        }
    }

    /// The policy of `niveau check`, run by a person on their own machine: https, http
    /// and ssh to any host, credentials allowed (a CI token), addresses not checked (an
    /// intranet forge is a fine target for the person running it).
    pub fn local_user() -> Self {
        RemotePolicy {
            allowed_hosts: None,
            allow_http: true,
            allow_ssh: true,
            allow_credentials: true,
            check_addresses: false,
            allow_loopback: true,
        }
    }

    /// Checks a location without the network. Returns the parsed location to clone.
    pub fn check(&self, location: &str) -> Result<RemoteTarget, Refusal> {
        let trimmed = location.trim();
        if trimmed.is_empty()
            || trimmed.len() > 2000
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Refusal::Malformed);
        }
        let url = gix::url::parse(trimmed.as_bytes().as_bstr()).map_err(|_| Refusal::Malformed)?;
        let scheme = match url.scheme {
            gix::url::Scheme::Https => Scheme::Https,
            gix::url::Scheme::Http if self.allow_http => Scheme::Http,
            gix::url::Scheme::Ssh if self.allow_ssh => Scheme::Ssh,
            ref other => return Err(Refusal::Scheme(other.as_str().to_owned())),
        };
        if !self.allow_credentials
            && (url.password().is_some() || (scheme != Scheme::Ssh && url.user().is_some()))
        {
            return Err(Refusal::Credentials);
        }
        if let Some(user) = url.user()
            && (user.is_empty()
                || user.starts_with('-')
                || !user
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            && scheme == Scheme::Ssh
        {
            return Err(Refusal::Malformed);
        }
        let raw_host = url.host().ok_or(Refusal::Malformed)?;
        let host = Host::parse(raw_host).ok_or(Refusal::Malformed)?;
        let port = url.port_or_default().ok_or(Refusal::Malformed)?;
        let default_port = url.port.is_none() || Some(port) == scheme.default_port();
        let path = url.path.to_string();
        if path.is_empty()
            || path.starts_with('-')
            || path.contains('\\')
            || path.chars().any(|c| c.is_control() || c.is_whitespace())
        {
            return Err(Refusal::Malformed);
        }
        if self.check_addresses
            && let Host::Ip(ip) = host
        {
            self.check_address(&host.name(), ip)?;
        }
        if let Some(allowed) = &self.allowed_hosts
            && !allowed
                .iter()
                .any(|entry| host_matches(entry, &host.name(), port, default_port))
        {
            return Err(Refusal::HostNotAllowed(host.display(port, default_port)));
        }
        Ok(RemoteTarget {
            url,
            scheme,
            host,
            port,
        })
    }

    /// Resolves the host of `target` once and checks every address. Returns the
    /// addresses to connect to (empty when addresses are not checked: the transport then
    /// resolves the host itself).
    pub fn resolve(&self, target: &RemoteTarget) -> Result<Vec<SocketAddr>, Refusal> {
        if !self.check_addresses {
            return Ok(Vec::new());
        }
        let addrs: Vec<SocketAddr> = match &target.host {
            Host::Ip(ip) => vec![SocketAddr::new(*ip, target.port)],
            Host::Name(name) => (name.as_str(), target.port)
                .to_socket_addrs()
                .map_err(|e| Refusal::Resolve(name.clone(), e.to_string()))?
                .collect(),
        };
        if addrs.is_empty() {
            return Err(Refusal::Resolve(
                target.host.name(),
                "no address".to_owned(),
            ));
        }
        for a in &addrs {
            self.check_address(&target.host.name(), a.ip())?;
        }
        Ok(addrs)
    }

    fn check_address(&self, host: &str, ip: IpAddr) -> Result<(), Refusal> {
        match classify(ip) {
            None => Ok(()),
            Some(AddressClass::Loopback) if self.allow_loopback => Ok(()),
            Some(class) => Err(Refusal::Address {
                host: host.to_owned(),
                ip,
                class,
            }),
        }
    }
}

/// Whether an allow-list entry (`host`, `host:port`, `*.domain`, `*.domain:port`)
/// covers `host` at `port`.
fn host_matches(entry: &str, host: &str, port: u16, default_port: bool) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    let (name, entry_port) = match entry.rsplit_once(':') {
        Some((n, p)) if !n.contains(':') || n.ends_with(']') => match p.parse::<u16>() {
            Ok(p) => (n.trim_start_matches('[').trim_end_matches(']'), Some(p)),
            Err(_) => return false,
        },
        _ => (entry.trim_start_matches('[').trim_end_matches(']'), None),
    };
    let port_ok = match entry_port {
        Some(p) => p == port,
        None => default_port,
    };
    let name_ok = match name.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
        None => name == host,
    };
    port_ok && name_ok
}

/// The transport of a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `https://`.
    Https,
    /// `http://`.
    Http,
    /// `ssh://` or `user@host:path`.
    Ssh,
}

impl Scheme {
    fn default_port(self) -> Option<u16> {
        Some(match self {
            Scheme::Https => 443,
            Scheme::Http => 80,
            Scheme::Ssh => 22,
        })
    }
}

/// A host: a DNS name (lower case, letters, digits, dots and hyphens) or an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    /// A name to resolve.
    Name(String),
    /// An address written in the location.
    Ip(IpAddr),
}

impl Host {
    fn parse(raw: &str) -> Option<Host> {
        let bare = raw.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Some(Host::Ip(ip));
        }
        let name = raw.trim_end_matches('.').to_ascii_lowercase();
        let valid = !name.is_empty()
            && name.len() <= 253
            && name.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            // A name whose last label is a number is an address in a form std does not
            // read (`2130706433`, `0x7f.1`, `127.1`); refuse it rather than guess.
            && !name.rsplit('.').next().is_some_and(|last| {
                last.chars().all(|c| c.is_ascii_digit())
                    || last.strip_prefix("0x").is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            });
        valid.then_some(Host::Name(name))
    }

    /// The host as text (addresses without brackets).
    pub fn name(&self) -> String {
        match self {
            Host::Name(n) => n.clone(),
            Host::Ip(ip) => ip.to_string(),
        }
    }

    fn display(&self, port: u16, default_port: bool) -> String {
        let host = match self {
            Host::Ip(IpAddr::V6(ip)) => format!("[{ip}]"),
            other => other.name(),
        };
        if default_port {
            host
        } else {
            format!("{host}:{port}")
        }
    }
}

/// A location that passed [`RemotePolicy::check`].
#[derive(Debug, Clone)]
pub struct RemoteTarget {
    /// The parsed location, handed to the transport as it is (not parsed again).
    pub url: gix::Url,
    /// Its transport.
    pub scheme: Scheme,
    /// Its host.
    pub host: Host,
    /// The port connected to.
    pub port: u16,
}

/// The kind of address the server never connects to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10.
    Private,
    /// 169.254/16 (cloud metadata services live here), fe80::/10.
    LinkLocal,
    /// 100.64/10, carrier-grade NAT.
    Shared,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// 224/4, ff00::/8, 255.255.255.255.
    Multicast,
    /// Documentation, benchmarking, protocol-assignment and reserved ranges.
    Reserved,
}

impl AddressClass {
    fn describe(self, english: bool) -> &'static str {
        match (self, english) {
            (AddressClass::Loopback, false) => "en loopback-adresse (maskinen selv)",
            (AddressClass::Loopback, true) => "a loopback address (the machine itself)",
            (AddressClass::Private, false) => "en privat netværksadresse",
            (AddressClass::Private, true) => "a private network address",
            (AddressClass::LinkLocal, false) => {
                "en link-local-adresse (fx en cloud-metadatatjeneste)"
            }
            (AddressClass::LinkLocal, true) => {
                "a link-local address (such as a cloud metadata service)"
            }
            (AddressClass::Shared, false) => "en delt adresse (carrier-grade NAT)",
            (AddressClass::Shared, true) => "a shared address (carrier-grade NAT)",
            (AddressClass::Unspecified, false) => "en uspecificeret adresse",
            (AddressClass::Unspecified, true) => "an unspecified address",
            (AddressClass::Multicast, false) => "en multicast- eller broadcastadresse",
            (AddressClass::Multicast, true) => "a multicast or broadcast address",
            (AddressClass::Reserved, false) => "en reserveret adresse",
            (AddressClass::Reserved, true) => "a reserved address",
        }
    }
}

/// The class of an address the server must not connect to, or `None` for a public
/// address.
pub fn classify(ip: IpAddr) -> Option<AddressClass> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    // std's stable predicates where they exist; shared (100.64/10), benchmarking
    // (198.18/15), reserved (240/4) and 0/8 by hand, as std's are not stable yet.
    let [a, b, ..] = ip.octets();
    Some(if a == 0 {
        AddressClass::Unspecified
    } else if ip.is_loopback() {
        AddressClass::Loopback
    } else if ip.is_private() {
        AddressClass::Private
    } else if ip.is_link_local() {
        AddressClass::LinkLocal
    } else if a == 100 && (64..=127).contains(&b) {
        AddressClass::Shared
    } else if ip.is_multicast() || ip.is_broadcast() {
        AddressClass::Multicast
    } else if a >= 240
        || ip.is_documentation()
        || (a, b) == (192, 0) && ip.octets()[2] == 0
        || (a == 198 && (18..=19).contains(&b))
    {
        AddressClass::Reserved
    } else {
        return None;
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<AddressClass> {
    if ip.is_unspecified() {
        return Some(AddressClass::Unspecified);
    }
    if ip.is_loopback() {
        return Some(AddressClass::Loopback);
    }
    let s = ip.segments();
    // Addresses that carry an IPv4 address: mapped (::ffff:a.b.c.d), compatible
    // (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::).
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if s[..5] == [0, 0, 0, 0, 0] && s[5] == 0xffff {
        return classify_v4(embedded(s[6], s[7]));
    }
    if s[..6] == [0, 0, 0, 0, 0, 0] {
        // Deprecated IPv4-compatible addresses: never a forge's address.
        return classify_v4(embedded(s[6], s[7])).or(Some(AddressClass::Reserved));
    }
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return classify_v4(embedded(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return classify_v4(embedded(s[1], s[2]));
    }
    if ip.is_unique_local() {
        return Some(AddressClass::Private);
    }
    if ip.is_unicast_link_local() {
        return Some(AddressClass::LinkLocal);
    }
    if ip.is_multicast() {
        return Some(AddressClass::Multicast);
    }
    Some(match s[0] {
        // Site-local (fec0::/10, deprecated), documentation and discard-only by hand.
        x if x & 0xffc0 == 0xfec0 => AddressClass::Private,
        0x2001 if s[1] == 0x0db8 => AddressClass::Reserved,
        0x0100 if s[1..4] == [0, 0, 0] => AddressClass::Reserved,
        _ => return None,
    })
}

/// Why a location may not be cloned. [`std::fmt::Display`] gives the Danish text;
/// [`Refusal::message`] either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Not a location that can be read (or holds spaces or control characters).
    #[error("{}", self.message(false))]
    Malformed,
    /// A scheme the policy does not allow.
    #[error("{}", self.message(false))]
    Scheme(String),
    /// A user name or password in the location.
    #[error("{}", self.message(false))]
    Credentials,
    /// A host (and port) not on the allow-list.
    #[error("{}", self.message(false))]
    HostNotAllowed(String),
    /// The host cannot be resolved.
    #[error("{}", self.message(false))]
    Resolve(String, String),
    /// The host is, or resolves to, an address the server must not connect to.
    #[error("{}", self.message(false))]
    Address {
        /// The host as written.
        host: String,
        /// The address.
        ip: IpAddr,
        /// What kind of address it is.
        class: AddressClass,
    },
}

impl Refusal {
    /// The reason, in Danish or English.
    pub fn message(&self, english: bool) -> String {
        match (self, english) {
            (Refusal::Malformed, false) => {
                "er ikke en gyldig git-adresse (https://vært/sti, uden mellemrum)".to_owned()
            }
            (Refusal::Malformed, true) => {
                "is not a valid git location (https://host/path, without spaces)".to_owned()
            }
            (Refusal::Scheme(s), false) => format!(
                "adresser med '{s}' hentes ikke; brug https:// (ssh:// og http:// kun hvis administratoren har slået dem til)"
            ),
            (Refusal::Scheme(s), true) => format!(
                "'{s}' locations are not fetched; use https:// (ssh:// and http:// only if the administrator enabled them)"
            ),
            (Refusal::Credentials, false) => {
                "må ikke indeholde brugernavn eller adgangskode".to_owned()
            }
            (Refusal::Credentials, true) => "must not contain a user name or password".to_owned(),
            (Refusal::HostNotAllowed(h), false) => {
                format!("værten {h} er ikke blandt de tilladte (web.worker.allowed_hosts)")
            }
            (Refusal::HostNotAllowed(h), true) => {
                format!("the host {h} is not one of the allowed hosts (web.worker.allowed_hosts)")
            }
            (Refusal::Resolve(h, e), false) => format!("værten {h} kan ikke slås op: {e}"),
            (Refusal::Resolve(h, e), true) => format!("the host {h} cannot be resolved: {e}"),
            (Refusal::Address { host, ip, class }, false) => format!(
                "værten {host} peger på {ip}, {}; serveren henter ikke derfra",
                class.describe(false)
            ),
            (Refusal::Address { host, ip, class }, true) => format!(
                "the host {host} points to {ip}, {}; the server does not fetch from there",
                class.describe(true)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> RemotePolicy {
        RemotePolicy::server(
            DEFAULT_ALLOWED_HOSTS
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            false,
            false,
        )
    }

    fn class(s: &str) -> Option<AddressClass> {
        classify(s.parse().unwrap())
    }

    #[test]
    fn addresses_are_classified() {
        use AddressClass::*;
        for (ip, want) in [
            ("127.0.0.1", Some(Loopback)),
            ("127.255.1.2", Some(Loopback)),
            ("10.1.2.3", Some(Private)),
            ("172.16.0.1", Some(Private)),
            ("172.31.255.255", Some(Private)),
            ("172.32.0.1", None),
            ("192.168.1.1", Some(Private)),
            ("169.254.169.254", Some(LinkLocal)),
            ("100.64.0.1", Some(Shared)),
            ("100.128.0.1", None),
            ("0.0.0.0", Some(Unspecified)),
            ("224.0.0.1", Some(Multicast)),
            ("255.255.255.255", Some(Multicast)),
            ("240.0.0.1", Some(Reserved)),
            ("192.0.2.1", Some(Reserved)),
            ("198.18.0.1", Some(Reserved)),
            ("140.82.121.4", None),
            ("8.8.8.8", None),
            ("::1", Some(Loopback)),
            ("::", Some(Unspecified)),
            ("fe80::1", Some(LinkLocal)),
            ("fc00::1", Some(Private)),
            ("fd12:3456::1", Some(Private)),
            ("fec0::1", Some(Private)),
            ("ff02::1", Some(Multicast)),
            ("2001:db8::1", Some(Reserved)),
            ("::ffff:127.0.0.1", Some(Loopback)),
            ("::ffff:169.254.169.254", Some(LinkLocal)),
            ("::ffff:10.0.0.1", Some(Private)),
            ("::ffff:140.82.121.4", None),
            ("::127.0.0.1", Some(Loopback)),
            ("64:ff9b::a9fe:a9fe", Some(LinkLocal)),
            ("2002:7f00:1::", Some(Loopback)),
            ("2002:8c52:7904::", None),
            ("2606:50c0:8000::153", None),
        ] {
            assert_eq!(class(ip), want, "{ip}");
        }
    }

    #[test]
    fn the_server_allows_https_to_named_forges_only() {
        let p = server();
        let t = p.check("https://github.com/OS2mo/os2mo").unwrap();
        assert_eq!((t.scheme, t.port), (Scheme::Https, 443));
        assert_eq!(t.host, Host::Name("github.com".into()));
        assert!(p.check("https://GitHub.com/OS2mo/os2mo.git").is_ok());
        assert_eq!(
            p.check("https://evil.example/x.git").unwrap_err(),
            Refusal::HostNotAllowed("evil.example".into())
        );
        assert_eq!(
            p.check("https://github.com:8443/x").unwrap_err(),
            Refusal::HostNotAllowed("github.com:8443".into())
        );
        assert_eq!(
            p.check("http://github.com/x").unwrap_err(),
            Refusal::Scheme("http".into())
        );
        assert_eq!(
            p.check("git@github.com:OS2mo/os2mo.git").unwrap_err(),
            Refusal::Scheme("ssh".into())
        );
        assert_eq!(
            p.check("file:///etc").unwrap_err(),
            Refusal::Scheme("file".into())
        );
        assert_eq!(
            p.check("git://github.com/x").unwrap_err(),
            Refusal::Scheme("git".into())
        );
        assert!(matches!(
            p.check("ext::sh -c touch% /tmp/pwned").unwrap_err(),
            Refusal::Malformed
        ));
        assert!(p.check("ext::sh").is_err());
        assert_eq!(
            p.check("https://user:pw@github.com/x").unwrap_err(),
            Refusal::Credentials
        );
        assert_eq!(
            p.check("https://token@github.com/x").unwrap_err(),
            Refusal::Credentials
        );
        assert_eq!(
            p.check("https://github.com/a b").unwrap_err(),
            Refusal::Malformed
        );
        assert_eq!(
            p.check("/etc/passwd").unwrap_err(),
            Refusal::Scheme("file".into())
        );
        assert!(p.check("").is_err());
    }

    #[test]
    fn addresses_in_locations_are_refused_without_the_network() {
        let mut p = server();
        p.allowed_hosts = None;
        p.allow_http = true;
        for (url, class) in [
            ("http://127.0.0.1:8080/x", AddressClass::Loopback),
            ("https://[::1]/x", AddressClass::Loopback),
            (
                "http://169.254.169.254/latest/meta-data",
                AddressClass::LinkLocal,
            ),
            (
                "https://[::ffff:169.254.169.254]/x",
                AddressClass::LinkLocal,
            ),
            ("https://10.0.0.5/x", AddressClass::Private),
            ("https://[fe80::1]/x", AddressClass::LinkLocal),
            ("https://0.0.0.0/x", AddressClass::Unspecified),
        ] {
            match p.check(url) {
                Err(Refusal::Address { class: c, .. }) => assert_eq!(c, class, "{url}"),
                other => panic!("{url}: {other:?}"),
            }
        }
        // Numeric forms std does not read as addresses are not taken for names.
        assert_eq!(
            p.check("http://2130706433/x").unwrap_err(),
            Refusal::Malformed
        );
        assert_eq!(p.check("http://0x7f.1/x").unwrap_err(), Refusal::Malformed);
        assert_eq!(p.check("http://127.1/x").unwrap_err(), Refusal::Malformed);
        assert!(p.check("https://cafe.be/x").is_ok());
        // Loopback only with the test switch; link-local never.
        p.allow_loopback = true;
        assert!(p.check("http://127.0.0.1:8080/x").is_ok());
        assert!(p.check("http://169.254.169.254/x").is_err());
    }

    #[test]
    fn allow_list_entries() {
        assert!(host_matches("github.com", "github.com", 443, true));
        assert!(!host_matches("github.com", "github.com.evil", 443, true));
        assert!(!host_matches("github.com", "evilgithub.com", 443, true));
        assert!(host_matches("*.example.org", "git.example.org", 443, true));
        assert!(!host_matches("*.example.org", "example.org", 443, true));
        assert!(!host_matches("*.example.org", "badexample.org", 443, true));
        assert!(host_matches(
            "git.example.org:8443",
            "git.example.org",
            8443,
            false
        ));
        assert!(!host_matches(
            "git.example.org",
            "git.example.org",
            8443,
            false
        ));
        assert!(host_matches("127.0.0.1:9000", "127.0.0.1", 9000, false));
        assert!(host_matches("[::1]:9000", "::1", 9000, false));
    }

    #[test]
    fn ssh_when_enabled_and_the_cli_policy() {
        let p = RemotePolicy::server(vec!["github.com".into()], false, true);
        let t = p.check("git@github.com:OS2mo/os2mo.git").unwrap();
        assert_eq!((t.scheme, t.port), (Scheme::Ssh, 22));
        assert!(p.check("ssh://git@github.com/OS2mo/os2mo.git").is_ok());
        assert!(p.check("ssh://-oProxyCommand=x@github.com/x").is_err());
        let cli = RemotePolicy::local_user();
        assert!(cli.check("https://git.intra.example:8443/x.git").is_ok());
        assert!(cli.check("http://127.0.0.1:8080/x.git").is_ok());
        assert!(cli.check("https://oauth2:token@gitlab.com/x.git").is_ok());
        assert!(cli.check("https://token@gitlab.com/x.git").is_ok());
        assert_eq!(
            cli.check("file:///tmp/x").unwrap_err(),
            Refusal::Scheme("file".into())
        );
        assert!(cli.check("git://example.org/x").is_err());
        assert!(
            cli.resolve(&cli.check("https://x.invalid/y").unwrap())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn refusals_say_why_in_both_languages() {
        let r = Refusal::Address {
            host: "metadata".into(),
            ip: "169.254.169.254".parse().unwrap(),
            class: AddressClass::LinkLocal,
        };
        assert_eq!(
            r.to_string(),
            "værten metadata peger på 169.254.169.254, en link-local-adresse (fx en cloud-metadatatjeneste); serveren henter ikke derfra"
        );
        assert!(r.message(true).contains("link-local address"));
    }
}
