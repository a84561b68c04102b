//! Who a request comes from. The peer address, unless the peer is one of the proxies the
//! operator trusts (`--trusted-proxies`): then the address that proxy forwarded, walking
//! `X-Forwarded-For` from the right past every trusted hop, or `X-Real-IP`. A client can
//! write any header it likes, so a header is believed only from a trusted peer.
//!
//! Limits count a client by [`limit_key`]: an IPv4 address, or the /64 network of an IPv6
//! one (a single subscriber's share, which it can fill with addresses at will).

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use ipnet::IpNet;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Parses networks or addresses separated by spaces or commas
    /// (`10.0.0.0/8, 192.168.1.10 ::1`). Empty: no proxy is trusted.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.split([' ', ','])
            .filter(|s| !s.is_empty())
            .map(|item| {
                IpNet::from_str(item)
                    .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| format!("{item:?} is not an address or a network (CIDR)"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// The client of a request that came from `peer` with these headers' values.
pub fn client_address(
    peer: IpAddr,
    forwarded_for: &[&str],
    real_ip: Option<&str>,
    trusted: &TrustedProxies,
) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.trusts(peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded_for
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|hop| !hop.is_empty())
        .collect();
    if hops.is_empty() {
        return real_ip.and_then(parse_hop).map(canonical).unwrap_or(peer);
    }
    // From the nearest hop back: the first one not trusted is the client. A hop that is not
    // an address ends the walk at the last one that was.
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop).map(canonical) else {
            break;
        };
        client = ip;
        if !trusted.trusts(ip) {
            break;
        }
    }
    client
}

/// The client of a request from `peer` with `headers` (`X-Forwarded-For`, `X-Real-IP`).
pub fn from_headers(
    peer: IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &TrustedProxies,
) -> IpAddr {
    let forwarded_for: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let real_ip = headers.get("x-real-ip").and_then(|v| v.to_str().ok());
    client_address(peer, &forwarded_for, real_ip, trusted)
}

/// What a limit counts a client under: an IPv4 address, or an IPv6 address's /64.
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// An IPv4 address written as IPv6 (`::ffff:1.2.3.4`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// One hop of `X-Forwarded-For`: an address, maybe with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:443`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = IpAddr::from_str(hop) {
        return Some(ip);
    }
    if let Ok(socket) = std::net::SocketAddr::from_str(hop) {
        return Some(socket.ip());
    }
    hop.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| IpAddr::from_str(inner).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let trusted = TrustedProxies::parse("10.0.0.0/8, 192.168.1.10 fd00::/8").unwrap();
        // (peer, X-Forwarded-For values, X-Real-IP, the client)
        let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
            // No proxy: the peer, whatever it claims.
            (
                "203.0.113.7",
                &["198.51.100.1"],
                Some("198.51.100.2"),
                "203.0.113.7",
            ),
            // A trusted proxy: the address it forwarded.
            ("10.1.2.3", &["198.51.100.1"], None, "198.51.100.1"),
            ("192.168.1.10", &[], Some("198.51.100.2"), "198.51.100.2"),
            // A chain: a client's own forged first hop is passed over; the nearest
            // untrusted hop is the client.
            (
                "10.1.2.3",
                &["1.1.1.1, 198.51.100.1, 10.9.9.9"],
                None,
                "198.51.100.1",
            ),
            // Several header lines are one list.
            (
                "10.1.2.3",
                &["1.1.1.1", "198.51.100.1"],
                None,
                "198.51.100.1",
            ),
            // Ports and brackets.
            ("10.1.2.3", &["198.51.100.1:4711"], None, "198.51.100.1"),
            ("10.1.2.3", &["[2001:db8::5]:443"], None, "2001:db8::5"),
            // Garbage ends the walk at the last address that was fine.
            ("10.1.2.3", &["198.51.100.1, unknown"], None, "10.1.2.3"),
            (
                "10.1.2.3",
                &["198.51.100.1, 10.4.4.4, nonsense"],
                None,
                "10.1.2.3",
            ),
            ("10.1.2.3", &["nonsense, 10.4.4.4"], None, "10.4.4.4"),
            // Every hop trusted: the farthest.
            ("10.1.2.3", &["10.4.4.4, 10.5.5.5"], None, "10.4.4.4"),
            // A bad X-Real-IP: the peer.
            ("10.1.2.3", &[], Some("not an address"), "10.1.2.3"),
            // IPv4 written as IPv6 is IPv4, for the peer and for the trust.
            ("::ffff:10.1.2.3", &["198.51.100.1"], None, "198.51.100.1"),
            ("::ffff:203.0.113.7", &[], None, "203.0.113.7"),
            ("fd00::1", &["2001:db8::9"], None, "2001:db8::9"),
        ];
        for (peer, forwarded, real, client) in cases {
            assert_eq!(
                client_address(ip(peer), forwarded, *real, &trusted),
                ip(client),
                "{peer} {forwarded:?} {real:?}"
            );
        }
        // Trusting nobody, nothing is believed.
        let nobody = TrustedProxies::default();
        assert_eq!(
            client_address(ip("10.1.2.3"), &["198.51.100.1"], None, &nobody),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn an_ipv6_client_is_limited_by_its_64_network() {
        for (address, key) in [
            ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
            ("2001:db8:1:2::1", "2001:db8:1:2::"),
            ("2001:db8:1:3::1", "2001:db8:1:3::"),
            ("::ffff:198.51.100.1", "198.51.100.1"),
            ("198.51.100.1", "198.51.100.1"),
        ] {
            assert_eq!(limit_key(ip(address)), ip(key), "{address}");
        }
    }

    #[test]
    fn trusted_proxies_are_read_as_networks_or_addresses() {
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
        let list = TrustedProxies::parse("10.0.0.5/8 ::1").unwrap();
        assert!(list.trusts(ip("10.200.0.1")) && list.trusts(ip("::1")));
        assert!(!list.trusts(ip("11.0.0.1")));
        for bad in ["10.0.0.0/33", "example.com", "10.0.0"] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }
}
