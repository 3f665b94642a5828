//! The built-in image catalogue that the simulated registry (Docker Hub) serves.
//!
//! Each image is a stack of layers, bottom first. Images that share a base in real life
//! share the same `&LayerDef` here (nginx and redis both start from debian:bookworm-slim),
//! so pulling the second prints `Already exists` for it. Layer contents are file lists:
//! enough of the real image's files for a student to find what they expect (`/bin/sh`,
//! `/etc/os-release`, the nginx binary), with sizes that add up to the layer's size.
//! Digests are not stored: the engine computes them from this content (`crate::image`).

/// One file-system entry in a layer.
#[derive(Debug)]
pub enum FileDef {
    Dir(&'static str, u32),
    /// A file whose content is not modelled, only its size: (path, mode, size).
    File(&'static str, u32, u64),
    /// A text file: (path, mode, content). Its size is the content's length.
    Text(&'static str, u32, &'static str),
    /// A symbolic link: (path, target).
    Link(&'static str, &'static str),
    /// Many links to one target in one directory (busybox applets): each `dir/name` → `target`.
    Links {
        dir: &'static str,
        target: &'static str,
        names: &'static [&'static str],
    },
}

#[derive(Debug)]
pub struct LayerDef {
    /// A stable key, for tests and for the reader: "busybox-1.37.0-glibc".
    pub key: &'static str,
    /// The Dockerfile instruction that made it (the image history's CreatedBy).
    pub created_by: &'static str,
    /// Compressed size on the registry, in bytes (what a pull downloads).
    pub compressed_size: u64,
    /// The layer's entries, in parts (layers that share most of their files, like
    /// debian and debian-slim, list a shared part first).
    pub files: &'static [&'static [FileDef]],
}

impl LayerDef {
    /// Every entry, across the parts.
    pub fn entries(&self) -> impl Iterator<Item = &'static FileDef> + '_ {
        self.files.iter().flat_map(|p| p.iter())
    }
}

#[derive(Debug)]
pub struct ConfigDef {
    pub cmd: Option<&'static [&'static str]>,
    pub entrypoint: Option<&'static [&'static str]>,
    pub env: &'static [&'static str],
    /// "80/tcp"
    pub exposed_ports: &'static [&'static str],
    pub working_dir: &'static str,
    pub user: &'static str,
    pub stop_signal: Option<&'static str>,
    pub labels: &'static [(&'static str, &'static str)],
    pub volumes: &'static [&'static str],
}

/// One entry of `docker image history`, oldest first. Entries with `empty_layer` made no
/// layer (ENV, CMD, …); the others match `layers` in order.
#[derive(Debug)]
pub struct HistoryDef {
    pub created: &'static str,
    pub created_by: &'static str,
    pub empty_layer: bool,
    pub comment: &'static str,
}

#[derive(Debug)]
pub struct ImageDef {
    /// The Docker Hub repository path: "library/busybox".
    pub repository: &'static str,
    /// Tags that name this image: the first is the canonical one.
    pub tags: &'static [&'static str],
    /// RFC 3339.
    pub created: &'static str,
    pub config: ConfigDef,
    /// Bottom first.
    pub layers: &'static [&'static LayerDef],
    pub history: &'static [HistoryDef],
}

pub const PATH_ENV: &str = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

const BUSYBOX_APPLETS: &[&str] = &[
    "[",
    "[[",
    "arch",
    "ash",
    "awk",
    "base64",
    "basename",
    "cat",
    "chgrp",
    "chmod",
    "chown",
    "chroot",
    "clear",
    "cmp",
    "cp",
    "cut",
    "date",
    "dd",
    "df",
    "diff",
    "dirname",
    "dmesg",
    "du",
    "echo",
    "env",
    "expr",
    "false",
    "find",
    "free",
    "grep",
    "groups",
    "gunzip",
    "gzip",
    "head",
    "hostname",
    "id",
    "ifconfig",
    "ip",
    "kill",
    "killall",
    "less",
    "ln",
    "ls",
    "lsof",
    "md5sum",
    "mkdir",
    "mknod",
    "more",
    "mount",
    "mv",
    "nc",
    "netstat",
    "nproc",
    "nslookup",
    "ping",
    "printenv",
    "printf",
    "ps",
    "pwd",
    "readlink",
    "realpath",
    "rm",
    "rmdir",
    "route",
    "sed",
    "seq",
    "sh",
    "sha256sum",
    "sleep",
    "sort",
    "stat",
    "tail",
    "tar",
    "tee",
    "telnet",
    "test",
    "top",
    "touch",
    "tr",
    "true",
    "umount",
    "uname",
    "uniq",
    "uptime",
    "vi",
    "watch",
    "wc",
    "wget",
    "which",
    "whoami",
    "xargs",
    "yes",
];

static BUSYBOX_LAYER: LayerDef = LayerDef {
    key: "busybox-1.37.0-glibc",
    created_by: "BusyBox 1.37.0 (glibc), Debian 12",
    compressed_size: 2_152_262,
    files: &[&[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/busybox", 0o755, 1_187_160),
        FileDef::Links { dir: "/bin", target: "busybox", names: BUSYBOX_APPLETS },
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Text("/etc/group", 0o644, "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nwheel:x:10:root\nstaff:x:50:\nnogroup:x:65534:\n"),
        FileDef::Text("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n"),
        FileDef::Text("/etc/nsswitch.conf", 0o644, "hosts:\tfiles dns\nnetworks:\tfiles\n"),
        FileDef::Dir("/home", 0o755),
        FileDef::Dir("/lib", 0o755),
        FileDef::File("/lib/ld-linux-x86-64.so.2", 0o755, 228_720),
        FileDef::File("/lib/libc.so.6", 0o755, 1_922_136),
        FileDef::File("/lib/libm.so.6", 0o644, 907_784),
        FileDef::File("/lib/libresolv.so.2", 0o644, 68_104),
        FileDef::Link("/lib64", "lib"),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::Dir("/var", 0o755),
        FileDef::Dir("/var/spool", 0o755),
        FileDef::Dir("/var/www", 0o755),
    ]],
};

// ---------------------------------------------------------------------------------------------
// File contents a student is likely to `cat`. Config files and account databases are the real
// ones; the entrypoint scripts are abridged versions of the official images' scripts.

const ALPINE_GROUP: &str = r#"root:x:0:root
bin:x:1:root,bin,daemon
daemon:x:2:root,bin,daemon
sys:x:3:root,bin
adm:x:4:root,daemon
tty:x:5:
disk:x:6:root
lp:x:7:lp
kmem:x:9:
wheel:x:10:root
floppy:x:11:root
mail:x:12:mail
news:x:13:news
uucp:x:14:uucp
cron:x:16:cron
audio:x:18:
cdrom:x:19:
dialout:x:20:root
ftp:x:21:
sshd:x:22:
input:x:23:
tape:x:26:root
video:x:27:root
netdev:x:28:
kvm:x:34:kvm
games:x:35:
shadow:x:42:
www-data:x:82:
users:x:100:games
ntp:x:123:
abuild:x:300:
utmp:x:406:
ping:x:999:
nogroup:x:65533:
nobody:x:65534:
"#;

const ALPINE_OS_RELEASE: &str = r#"NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.3
PRETTY_NAME="Alpine Linux v3.20"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
"#;

const ALPINE_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/sh
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/mail:/sbin/nologin
news:x:9:13:news:/usr/lib/news:/sbin/nologin
uucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin
ftp:x:21:21::/var/lib/ftp:/sbin/nologin
sshd:x:22:22:sshd:/dev/null:/sbin/nologin
games:x:35:35:games:/usr/games:/sbin/nologin
ntp:x:123:123:NTP:/var/empty:/sbin/nologin
guest:x:405:100:guest:/dev/null:/sbin/nologin
nobody:x:65534:65534:nobody:/:/sbin/nologin
"#;

const ALPINE_PROFILE: &str = r#"export CHARSET=UTF-8
export LANG=C.UTF-8
export LC_COLLATE=C

PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
export PAGER=less
umask 022

# use nicer PS1 for bash and busybox ash
if [ -n "$BASH_VERSION" -o "$BB_ASH_VERSION" ]; then
	PS1='\h:\w\$ '
# use nicer PS1 for zsh
elif [ -n "$ZSH_VERSION" ]; then
	PS1='%m:%~%# '
# set up fallback default PS1
else
	: "${HOSTNAME:=$(hostname)}"
	PS1='${HOSTNAME%%.*}:$PWD'
	[ "$(id -u)" -eq 0 ] && PS1="${PS1}# " || PS1="${PS1}\$ "
fi

for script in /etc/profile.d/*.sh ; do
	if [ -r "$script" ] ; then
		. "$script"
	fi
done
unset script
"#;

const ALPINE_INSTALLED: &str = r#"P:alpine-baselayout
V:3.6.5-r0
A:x86_64
T:Alpine base dir structure and init scripts
L:GPL-2.0-only

P:alpine-baselayout-data
V:3.6.5-r0
A:x86_64
T:Alpine base dir structure and init scripts
L:GPL-2.0-only

P:alpine-keys
V:2.4-r1
A:x86_64
T:Public keys for Alpine Linux packages
L:MIT

P:apk-tools
V:2.14.4-r1
A:x86_64
T:Alpine Package Keeper - package manager for alpine
L:GPL-2.0-only

P:busybox
V:1.36.1-r29
A:x86_64
T:Size optimized toolbox of many common UNIX utilities
L:GPL-2.0-only

P:busybox-binsh
V:1.36.1-r29
A:x86_64
T:busybox ash /bin/sh
L:GPL-2.0-only

P:ca-certificates-bundle
V:20240705-r0
A:x86_64
T:Pre generated bundle of Mozilla certificates
L:MPL-2.0 AND MIT

P:libc-utils
V:0.7.2-r5
A:x86_64
T:Meta package to pull in correct libc
L:BSD-2-Clause AND BSD-3-Clause

P:libcrypto3
V:3.3.2-r0
A:x86_64
T:Crypto library from openssl
L:Apache-2.0

P:libssl3
V:3.3.2-r0
A:x86_64
T:SSL shared libraries
L:Apache-2.0

P:musl
V:1.2.5-r0
A:x86_64
T:the musl c library (libc) implementation
L:MIT

P:musl-utils
V:1.2.5-r0
A:x86_64
T:the musl c library (libc) implementation
L:MIT AND BSD-2-Clause AND GPL-2.0-or-later

P:scanelf
V:1.3.7-r2
A:x86_64
T:Scan ELF binaries for stuff
L:GPL-2.0-only

P:ssl_client
V:1.36.1-r29
A:x86_64
T:EXternal ssl_client for busybox wget
L:GPL-2.0-only

P:zlib
V:1.3.1-r1
A:x86_64
T:A compression/decompression Library
L:Zlib

"#;

const UBUNTU_SOURCES: &str = r#"Types: deb
URIs: http://archive.ubuntu.com/ubuntu/
Suites: noble noble-updates noble-backports
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg

Types: deb
URIs: http://security.ubuntu.com/ubuntu/
Suites: noble-security
Components: main universe restricted multiverse
Signed-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg
"#;

const UBUNTU_GROUP: &str = r#"root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
ubuntu:x:1000:
"#;

const NSSWITCH: &str = r#"# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.
# If you have the `glibc-doc-reference' and `info' packages installed, try:
# `info libc "Name Service Switch"' for information about this file.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
"#;

const UBUNTU_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash
"#;

const DEBIAN_PROFILE: &str = r#"# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))
# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).

if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH

if [ "${PS1-}" ]; then
  if [ "${BASH-}" ] && [ "$BASH" != "/bin/sh" ]; then
    # The file bash.bashrc already sets the default PS1.
    # PS1='\h:\w\$ '
    if [ -f /etc/bash.bashrc ]; then
      . /etc/bash.bashrc
    fi
  else
    if [ "$(id -u)" -eq 0 ]; then
      PS1='# '
    else
      PS1='$ '
    fi
  fi
fi

if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
"#;

const UBUNTU_OS_RELEASE: &str = r#"PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
"#;

const DEBIAN_SOURCES: &str = r#"Types: deb
# http://snapshot.debian.org/archive/debian/20241016T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.debian.org/archive/debian-security/20241016T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"#;

const DEBIAN_GROUP: &str = r#"root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
"#;

const DEBIAN_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"#;

const DEBIAN_OS_RELEASE: &str = r#"PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
"#;

const NGINX_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
nginx:x:101:101:nginx user:/nonexistent:/bin/false
"#;

const NGINX_GROUP: &str = r#"root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
nginx:x:101:
"#;

const NGINX_CONF: &str = r#"
user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
"#;

const NGINX_DEFAULT_CONF: &str = r#"server {
    listen       80;
    server_name  localhost;

    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\.ht {
    #    deny  all;
    #}
}

"#;

const NGINX_INDEX: &str = r#"<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"#;

const NGINX_50X: &str = r#"<!DOCTYPE html>
<html>
<head>
<title>Error</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
"#;

const NGINX_ENTRYPOINT: &str = r#"#!/bin/sh
# vim:sw=4:ts=4:et
# Abridged from the official nginx image's entrypoint.

set -e

entrypoint_log() {
    if [ -z "${NGINX_ENTRYPOINT_QUIET_LOGS:-}" ]; then
        echo "$@"
    fi
}

if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then
    if /usr/bin/find "/docker-entrypoint.d/" -mindepth 1 -maxdepth 1 -type f -print -quit 2>/dev/null | read v; then
        entrypoint_log "$0: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
        entrypoint_log "$0: Looking for shell scripts in /docker-entrypoint.d/"
        find "/docker-entrypoint.d/" -follow -type f -print | sort -V | while read -r f; do
            case "$f" in
                *.envsh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Sourcing $f"; . "$f"
                    else
                        entrypoint_log "$0: Ignoring $f, not executable"
                    fi ;;
                *.sh)
                    if [ -x "$f" ]; then
                        entrypoint_log "$0: Launching $f"; "$f"
                    else
                        entrypoint_log "$0: Ignoring $f, not executable"
                    fi ;;
                *) entrypoint_log "$0: Ignoring $f" ;;
            esac
        done
        entrypoint_log "$0: Configuration complete; ready for start up"
    else
        entrypoint_log "$0: No files found in /docker-entrypoint.d/, skipping configuration"
    fi
fi

exec "$@"
"#;

const NGINX_10_IPV6: &str = r#"#!/bin/sh
# vim:sw=4:ts=4:et
# Abridged: enables `listen [::]:80;` in the packaged default.conf when IPv6 is available.

set -e

ME=$(basename "$0")
DEFAULT_CONF_FILE="etc/nginx/conf.d/default.conf"

if [ ! -f "/proc/net/if_inet6" ]; then
    echo "$ME: info: ipv6 not available"
    exit 0
fi

if [ ! -f "/$DEFAULT_CONF_FILE" ]; then
    echo "$ME: info: /$DEFAULT_CONF_FILE is not a file or does not exist"
    exit 0
fi

touch /$DEFAULT_CONF_FILE 2>/dev/null || { echo "$ME: info: can not modify /$DEFAULT_CONF_FILE (read-only file system?)"; exit 0; }

grep -q "listen  \[::]\:80;" /$DEFAULT_CONF_FILE && { echo "$ME: info: IPv6 listen already enabled"; exit 0; }

echo "$ME: info: Getting the checksum of /$DEFAULT_CONF_FILE"
CHECKSUM=$(dpkg-query --show --showformat='${Conffiles}\n' nginx | grep $DEFAULT_CONF_FILE | cut -d' ' -f 3)
echo "$CHECKSUM  /$DEFAULT_CONF_FILE" | md5sum -c - >/dev/null 2>&1 || {
    echo "$ME: info: /$DEFAULT_CONF_FILE differs from the packaged version"
    exit 0
}

sed -i -E 's,listen       80;,listen       80;\n    listen  [::]:80;,' /$DEFAULT_CONF_FILE

echo "$ME: info: Enabled listen on IPv6 in /$DEFAULT_CONF_FILE"

exit 0
"#;

const NGINX_15_RESOLVERS: &str = r#"#!/bin/sh
# vim:sw=2:ts=2:sts=2:et

set -eu

LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

[ "${NGINX_ENTRYPOINT_LOCAL_RESOLVERS:-}" ] || return 0

NGINX_LOCAL_RESOLVERS=$(awk 'BEGIN{ORS=" "} $1=="nameserver" {if ($2 ~ ":") {print "["$2"]"} else {print $2}}' /etc/resolv.conf)

NGINX_LOCAL_RESOLVERS="${NGINX_LOCAL_RESOLVERS% }"

export NGINX_LOCAL_RESOLVERS
"#;

const NGINX_20_ENVSUBST: &str = r#"#!/bin/sh
# Abridged: renders /etc/nginx/templates/*.template into /etc/nginx/conf.d with envsubst.

set -e

ME=$(basename "$0")

auto_envsubst() {
  local template_dir="${NGINX_ENVSUBST_TEMPLATE_DIR:-/etc/nginx/templates}"
  local suffix="${NGINX_ENVSUBST_TEMPLATE_SUFFIX:-.template}"
  local output_dir="${NGINX_ENVSUBST_OUTPUT_DIR:-/etc/nginx/conf.d}"
  local filter="${NGINX_ENVSUBST_FILTER:-}"

  local template defined_envs relative_path output_path subdir
  defined_envs=$(printf '${%s} ' $(awk "END { for (name in ENVIRON) { print ( name ~ /${filter}/ ) ? name : \"\" } }" < /dev/null ))
  [ -d "$template_dir" ] || return 0
  if [ ! -w "$output_dir" ]; then
    echo "$ME: ERROR: $template_dir exists, but $output_dir is not writable"
    return 0
  fi
  find "$template_dir" -follow -type f -name "*$suffix" -print | while read -r template; do
    relative_path="${template#"$template_dir/"}"
    output_path="$output_dir/${relative_path%"$suffix"}"
    subdir=$(dirname "$relative_path")
    mkdir -p "$output_dir/$subdir"
    echo "$ME: Running envsubst on $template to $output_path"
    envsubst "$defined_envs" < "$template" > "$output_path"
  done
}

auto_envsubst

exit 0
"#;

const NGINX_30_TUNE: &str = r#"#!/bin/sh
# vim:sw=2:ts=2:sts=2:et
# Abridged: with NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE set, sets worker_processes
# to the number of CPUs the container may use (cpuset and CFS quota, cgroup v1 or v2).

set -eu

LC_ALL=C
ME=$(basename "$0")
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

[ "${NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE:-}" ] || exit 0

touch /etc/nginx/nginx.conf 2>/dev/null || { echo >&2 "$ME: error: can not modify /etc/nginx/nginx.conf (read-only file system?)"; exit 0; }

ceildiv() {
  num=$1
  div=$2
  echo $(( (num + div - 1) / div ))
}

get_quota_v2() {
  cpuroot=$1
  [ -f "$cpuroot/cpu.max" ] || return 1
  cfs_quota=$( cut -d' ' -f 1 < "$cpuroot/cpu.max" )
  cfs_period=$( cut -d' ' -f 2 < "$cpuroot/cpu.max" )
  [ "$cfs_quota" = "max" ] && return 1
  [ "$cfs_period" = "0" ] && return 1
  ncpu=$( ceildiv "$cfs_quota" "$cfs_period" )
  [ "$ncpu" -gt 0 ] || return 1
  echo "$ncpu"
}

ncpu_online=$( getconf _NPROCESSORS_ONLN )
ncpu_quota_v2=$( get_quota_v2 /sys/fs/cgroup ) || ncpu_quota_v2=$ncpu_online

ncpu=$( printf "%s\n%s\n" "$ncpu_online" "$ncpu_quota_v2" | sort -n | head -n 1 )

sed -i.bak -r 's/^(worker_processes)(.*)$/# Commented out by '"$ME"' on '"$(date)"'\n#\1\2\n\1 '"$ncpu"';/' /etc/nginx/nginx.conf
"#;

const REDIS_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
redis:x:999:999::/home/redis:/bin/sh
"#;

const REDIS_GROUP: &str = r#"root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
redis:x:999:
"#;

const REDIS_ENTRYPOINT: &str = r#"#!/bin/sh
set -e

# first arg is `-f` or `--some-option`
# or first arg is `something.conf`
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- redis-server "$@"
fi

# allow the container to be started with `--user`
if [ "$1" = 'redis-server' -a "$(id -u)" = '0' ]; then
	find . \! -user redis -exec chown redis '{}' +
	exec gosu redis "$0" "$@"
fi

# set an appropriate umask (if one isn't set already)
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

exec "$@"
"#;

const OL_OS_RELEASE: &str = r#"NAME="Oracle Linux Server"
VERSION="9.4"
ID="ol"
ID_LIKE="fedora"
VARIANT="Server"
VARIANT_ID="server"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Oracle Linux Server 9.4"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:oracle:linux:9:4:server"
HOME_URL="https://linux.oracle.com/"
BUG_REPORT_URL="https://github.com/oracle/oracle-linux"

ORACLE_BUGZILLA_PRODUCT="Oracle Linux 9"
ORACLE_BUGZILLA_PRODUCT_VERSION=9.4
ORACLE_SUPPORT_PRODUCT="Oracle Linux"
ORACLE_SUPPORT_PRODUCT_VERSION=9.4
"#;

const OL_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin
"#;

const OL_GROUP: &str = r#"root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:
cdrom:x:11:
mail:x:12:
man:x:15:
dialout:x:18:
floppy:x:19:
games:x:20:
tape:x:33:
video:x:39:
ftp:x:50:
lock:x:54:
audio:x:63:
users:x:100:
nobody:x:65534:
utmp:x:22:
utempter:x:35:
input:x:999:
kvm:x:36:
render:x:998:
systemd-journal:x:190:
"#;

const MYSQL_PASSWD: &str = r#"root:x:0:0:root:/root:/bin/bash
bin:x:1:1:bin:/bin:/sbin/nologin
daemon:x:2:2:daemon:/sbin:/sbin/nologin
adm:x:3:4:adm:/var/adm:/sbin/nologin
lp:x:4:7:lp:/var/spool/lpd:/sbin/nologin
sync:x:5:0:sync:/sbin:/bin/sync
shutdown:x:6:0:shutdown:/sbin:/sbin/shutdown
halt:x:7:0:halt:/sbin:/sbin/halt
mail:x:8:12:mail:/var/spool/mail:/sbin/nologin
operator:x:11:0:operator:/root:/sbin/nologin
games:x:12:100:games:/usr/games:/sbin/nologin
ftp:x:14:50:FTP User:/var/ftp:/sbin/nologin
nobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin
mysql:x:999:999::/var/lib/mysql:/bin/bash
"#;

const MYSQL_GROUP: &str = r#"root:x:0:
bin:x:1:
daemon:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mem:x:8:
kmem:x:9:
wheel:x:10:
cdrom:x:11:
mail:x:12:
man:x:15:
dialout:x:18:
floppy:x:19:
games:x:20:
tape:x:33:
video:x:39:
ftp:x:50:
lock:x:54:
audio:x:63:
users:x:100:
nobody:x:65534:
utmp:x:22:
utempter:x:35:
input:x:999:
kvm:x:36:
render:x:998:
systemd-journal:x:190:
mysql:x:999:
"#;

const MY_CNF: &str = r#"# For advice on how to change settings please see
# http://dev.mysql.com/doc/refman/8.4/en/server-configuration-defaults.html

[mysqld]
#
# Remove leading # and set to the amount of RAM for the most important data
# cache in MySQL. Start at 70% of total RAM for dedicated server, else 10%.
# innodb_buffer_pool_size = 128M
#
# Remove leading # to turn on a very important data integrity option: logging
# changes to the binary log between backups.
# log_bin
#
# Remove leading # to set options mainly useful for reporting servers.
# The server defaults are faster for transactions and fast SELECTs.
# Adjust sizes as needed, experiment to find the optimal values.
# join_buffer_size = 128M
# sort_buffer_size = 2M
# read_rnd_buffer_size = 2M

host-cache-size=0
skip-name-resolve
datadir=/var/lib/mysql
socket=/var/run/mysqld/mysqld.sock
secure-file-priv=/var/lib/mysql-files
user=mysql

pid-file=/var/run/mysqld/mysqld.pid
[client]
socket=/var/run/mysqld/mysqld.sock

!includedir /etc/mysql/conf.d/
"#;

const MYSQL_ENTRYPOINT: &str = r#"#!/bin/bash
set -eo pipefail
shopt -s nullglob
# Abridged from the official mysql image's docker-entrypoint.sh (about 450 lines).

# logging functions
mysql_log() {
	local type="$1"; shift
	local text="$*"; if [ "$#" -eq 0 ]; then text="$(cat)"; fi
	local dt; dt="$(date --rfc-3339=seconds)"
	printf '%s [%s] [Entrypoint]: %s\n' "$dt" "$type" "$text"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() { mysql_log ERROR "$@" >&2; exit 1; }

# usage: file_env VAR [DEFAULT]: allows VAR_FILE to point at a file (Docker secrets)
file_env() {
	local var="$1"
	local fileVar="${var}_FILE"
	local def="${2:-}"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		mysql_error "Both $var and $fileVar are set (but are exclusive)"
	fi
	local val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(< "${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

docker_setup_env() {
	file_env 'MYSQL_ROOT_HOST' '%'
	file_env 'MYSQL_DATABASE'
	file_env 'MYSQL_USER'
	file_env 'MYSQL_PASSWORD'
	file_env 'MYSQL_ROOT_PASSWORD'
	declare -g DATABASE_ALREADY_EXISTS
	if [ -d "$DATADIR/mysql" ]; then
		DATABASE_ALREADY_EXISTS='true'
	fi
}

docker_verify_minimum_env() {
	if [ -z "$MYSQL_ROOT_PASSWORD" -a -z "$MYSQL_ALLOW_EMPTY_PASSWORD" -a -z "$MYSQL_RANDOM_ROOT_PASSWORD" ]; then
		mysql_error <<-'EOF'
			Database is uninitialized and password option is not specified
			    You need to specify one of the following as an environment variable:
			    - MYSQL_ROOT_PASSWORD
			    - MYSQL_ALLOW_EMPTY_PASSWORD
			    - MYSQL_RANDOM_ROOT_PASSWORD
		EOF
	fi
}

docker_process_init_files() {
	local f
	for f; do
		case "$f" in
			*.sh)     mysql_note "$0: running $f"; . "$f" ;;
			*.sql)    mysql_note "$0: running $f"; docker_process_sql < "$f"; echo ;;
			*.sql.gz) mysql_note "$0: running $f"; gunzip -c "$f" | docker_process_sql; echo ;;
			*)        mysql_warn "$0: ignoring $f" ;;
		esac
	done
}

_main() {
	# if command starts with an option, prepend mysqld
	if [ "${1:0:1}" = '-' ]; then
		set -- mysqld "$@"
	fi

	if [ "$1" = 'mysqld' ]; then
		mysql_note "Entrypoint script for MySQL Server ${MYSQL_VERSION} started."
		DATADIR="$(mysqld --verbose --help 2>/dev/null | awk '$1 == "datadir" { print $2; exit }')"
		docker_setup_env "$@"

		# If container is started as root user, restart as dedicated mysql user
		if [ "$(id -u)" = "0" ]; then
			mysql_note "Switching to dedicated user 'mysql'"
			exec gosu mysql "$BASH_SOURCE" "$@"
		fi

		# there's no database, so it needs to be initialized
		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			docker_verify_minimum_env
			mysql_note "Initializing database files"
			"$@" --initialize-insecure --default-time-zone=SYSTEM
			mysql_note "Database files initialized"
			docker_process_init_files /docker-entrypoint-initdb.d/*
			mysql_note "MySQL init process done. Ready for start up."
		fi
	fi
	exec "$@"
}

_main "$@"
"#;

const PIP_SCRIPT: &str = r#"#!/usr/local/bin/python3.12
# -*- coding: utf-8 -*-
import re
import sys
from pip._internal.cli.main import main
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\.pyw|\.exe)?$', '', sys.argv[0])
    sys.exit(main())
"#;

const ALPINE_BIN_APPLETS: &[&str] = &[
    "[",
    "[[",
    "arch",
    "ash",
    "base64",
    "bbconfig",
    "cat",
    "chattr",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "date",
    "dd",
    "df",
    "dmesg",
    "dnsdomainname",
    "dumpkmap",
    "echo",
    "egrep",
    "false",
    "fatattr",
    "fdflush",
    "fgrep",
    "fsync",
    "getopt",
    "grep",
    "gunzip",
    "gzip",
    "hostname",
    "ionice",
    "iostat",
    "ipcalc",
    "kbd_mode",
    "kill",
    "link",
    "linux32",
    "linux64",
    "ln",
    "login",
    "ls",
    "lsattr",
    "lzop",
    "makemime",
    "mkdir",
    "mknod",
    "mktemp",
    "more",
    "mount",
    "mountpoint",
    "mpstat",
    "mv",
    "netstat",
    "nice",
    "pidof",
    "ping",
    "ping6",
    "pipe_progress",
    "printenv",
    "ps",
    "pwd",
    "reformime",
    "rev",
    "rm",
    "rmdir",
    "run-parts",
    "sed",
    "setpriv",
    "setserial",
    "sh",
    "sleep",
    "stat",
    "stty",
    "su",
    "sync",
    "tar",
    "touch",
    "true",
    "umount",
    "uname",
    "usleep",
    "watch",
    "zcat",
];
const ALPINE_SBIN_APPLETS: &[&str] = &[
    "acpid",
    "adjtimex",
    "arp",
    "blkid",
    "blockdev",
    "depmod",
    "fbsplash",
    "fdisk",
    "findfs",
    "fsck",
    "fstrim",
    "getty",
    "halt",
    "hwclock",
    "ifconfig",
    "ifdown",
    "ifenslave",
    "ifup",
    "init",
    "inotifyd",
    "insmod",
    "ip",
    "ipaddr",
    "iplink",
    "ipneigh",
    "iproute",
    "iprule",
    "iptunnel",
    "klogd",
    "loadkmap",
    "logread",
    "losetup",
    "lsmod",
    "mdev",
    "mkdosfs",
    "mkfs.vfat",
    "mkswap",
    "modinfo",
    "modprobe",
    "nameif",
    "nologin",
    "pivot_root",
    "poweroff",
    "reboot",
    "rmmod",
    "route",
    "setconsole",
    "slattach",
    "swapoff",
    "swapon",
    "switch_root",
    "sysctl",
    "syslogd",
    "tunctl",
    "udhcpc",
    "vconfig",
    "watchdog",
];
const ALPINE_USR_BIN_APPLETS: &[&str] = &[
    "[",
    "[[",
    "awk",
    "basename",
    "bc",
    "beep",
    "blkdiscard",
    "bunzip2",
    "bzcat",
    "bzip2",
    "cal",
    "chvt",
    "cksum",
    "clear",
    "cmp",
    "comm",
    "cpio",
    "crontab",
    "cryptpw",
    "cut",
    "dc",
    "deallocvt",
    "diff",
    "dirname",
    "dos2unix",
    "du",
    "eject",
    "env",
    "expand",
    "expr",
    "factor",
    "fallocate",
    "find",
    "flock",
    "fold",
    "free",
    "fuser",
    "head",
    "hexdump",
    "hostid",
    "id",
    "install",
    "ipcrm",
    "ipcs",
    "killall",
    "last",
    "less",
    "logger",
    "lsof",
    "lsusb",
    "lzcat",
    "lzma",
    "md5sum",
    "mesg",
    "microcom",
    "mkfifo",
    "mkpasswd",
    "nc",
    "nl",
    "nmeter",
    "nohup",
    "nproc",
    "nsenter",
    "nslookup",
    "od",
    "openvt",
    "paste",
    "pgrep",
    "pkill",
    "pmap",
    "printf",
    "pwdx",
    "readlink",
    "realpath",
    "renice",
    "reset",
    "resize",
    "seq",
    "setkeycodes",
    "setsid",
    "sha1sum",
    "sha256sum",
    "sha3sum",
    "sha512sum",
    "showkey",
    "shred",
    "shuf",
    "sort",
    "split",
    "strings",
    "sum",
    "tac",
    "tail",
    "tee",
    "test",
    "time",
    "timeout",
    "top",
    "tr",
    "traceroute",
    "traceroute6",
    "tree",
    "truncate",
    "tty",
    "ttysize",
    "udhcpc6",
    "unexpand",
    "uniq",
    "unix2dos",
    "unlink",
    "unlzma",
    "unshare",
    "unxz",
    "unzip",
    "uptime",
    "uudecode",
    "uuencode",
    "vi",
    "vlock",
    "volname",
    "wc",
    "wget",
    "which",
    "whoami",
    "whois",
    "xargs",
    "xxd",
    "xzcat",
    "yes",
];
const ALPINE_USR_SBIN_APPLETS: &[&str] = &[
    "add-shell",
    "addgroup",
    "adduser",
    "arping",
    "brctl",
    "chpasswd",
    "chroot",
    "crond",
    "delgroup",
    "deluser",
    "ether-wake",
    "fbset",
    "killall5",
    "loadfont",
    "nanddump",
    "nandwrite",
    "nbd-client",
    "ntpd",
    "partprobe",
    "rdate",
    "readahead",
    "remove-shell",
    "rfkill",
    "sendmail",
    "setfont",
    "setlogcons",
];

// ---------------------------------------------------------------------------------------------
// Layers. Sizes are amd64 sizes: `compressed_size` is the blob size on Docker Hub; the files add
// up to the uncompressed size `docker history` shows. A real layer holds thousands of files; here
// the ones a student looks for are listed, and the rest of each layer is carried by a few big
// entries, one per kind of content (other libraries, docs, translations, package databases).

/// alpine:3.20.3 (alpine-minirootfs-3.20.3-x86_64.tar.gz): busybox, musl, apk-tools.
static ALPINE_LAYER: LayerDef = LayerDef {
    key: "alpine-3.20.3-minirootfs-x86_64",
    created_by: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit",
    compressed_size: 3_625_110,
    files: &[&[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/busybox", 0o755, 808_712),
        FileDef::Links { dir: "/bin", target: "/bin/busybox", names: ALPINE_BIN_APPLETS },
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Dir("/etc/apk", 0o755),
        FileDef::Dir("/etc/apk/keys", 0o755),
        FileDef::Dir("/etc/apk/protected_paths.d", 0o755),
        FileDef::Text("/etc/apk/arch", 0o644, "x86_64\n"),
        FileDef::Text("/etc/apk/repositories", 0o644, "https://dl-cdn.alpinelinux.org/alpine/v3.20/main\nhttps://dl-cdn.alpinelinux.org/alpine/v3.20/community\n"),
        FileDef::Text("/etc/apk/world", 0o644, "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n"),
        FileDef::File("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub", 0o644, 800),
        FileDef::Text("/etc/alpine-release", 0o644, "3.20.3\n"),
        FileDef::Text("/etc/group", 0o644, ALPINE_GROUP),
        FileDef::Text("/etc/issue", 0o644, "Welcome to Alpine Linux 3.20\nKernel \\r on an \\m (\\l)\n\n"),
        FileDef::File("/etc/motd", 0o644, 283),
        FileDef::Text("/etc/os-release", 0o644, ALPINE_OS_RELEASE),
        FileDef::Text("/etc/passwd", 0o644, ALPINE_PASSWD),
        FileDef::Text("/etc/profile", 0o644, ALPINE_PROFILE),
        FileDef::Dir("/etc/profile.d", 0o755),
        FileDef::File("/etc/profile.d/color_prompt.sh.disabled", 0o644, 295),
        FileDef::File("/etc/profile.d/locale.sh", 0o644, 61),
        FileDef::File("/etc/shadow", 0o640, 448),
        FileDef::Text("/etc/shells", 0o644, "# valid login shells\n/bin/sh\n/bin/ash\n"),
        FileDef::Dir("/etc/ssl", 0o755),
        FileDef::Dir("/etc/ssl/certs", 0o755),
        FileDef::File("/etc/ssl/certs/ca-certificates.crt", 0o644, 221_163),
        FileDef::File("/etc/ssl/openssl.cnf", 0o644, 12_411),
        FileDef::Link("/etc/ssl/cert.pem", "certs/ca-certificates.crt"),
        FileDef::File("/etc/inittab", 0o644, 570),
        FileDef::File("/etc/fstab", 0o644, 89),
        FileDef::Text("/etc/securetty", 0o644, "console\ntty1\ntty2\ntty3\ntty4\ntty5\ntty6\n"),
        FileDef::File("/etc/services", 0o644, 12_813),
        FileDef::File("/etc/protocols", 0o644, 1_865),
        FileDef::File("/etc/udhcpc/udhcpc.conf", 0o644, 171),
        FileDef::Dir("/etc/crontabs", 0o755),
        FileDef::File("/etc/crontabs/root", 0o600, 283),
        FileDef::Dir("/home", 0o755),
        FileDef::Dir("/lib", 0o755),
        FileDef::File("/lib/ld-musl-x86_64.so.1", 0o755, 654_048),
        FileDef::Link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"),
        FileDef::File("/lib/libcrypto.so.3", 0o755, 4_526_296),
        FileDef::File("/lib/libssl.so.3", 0o755, 606_248),
        FileDef::File("/lib/libz.so.1.3.1", 0o755, 99_904),
        FileDef::Link("/lib/libz.so.1", "libz.so.1.3.1"),
        FileDef::File("/lib/libapk.so.2.14.0", 0o755, 235_640),
        FileDef::Dir("/lib/apk", 0o755),
        FileDef::Dir("/lib/apk/db", 0o755),
        FileDef::Text("/lib/apk/db/installed", 0o644, ALPINE_INSTALLED),
        FileDef::File("/lib/apk/db/lock", 0o600, 0),
        FileDef::File("/lib/apk/db/scripts.tar", 0o644, 14_336),
        FileDef::File("/lib/apk/db/triggers", 0o644, 92),
        FileDef::Dir("/lib/firmware", 0o755),
        FileDef::Dir("/lib/modules-load.d", 0o755),
        FileDef::Dir("/media", 0o755),
        FileDef::Dir("/media/cdrom", 0o755),
        FileDef::Dir("/media/floppy", 0o755),
        FileDef::Dir("/media/usb", 0o755),
        FileDef::Dir("/mnt", 0o755),
        FileDef::Dir("/opt", 0o755),
        FileDef::Dir("/proc", 0o555),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/run", 0o755),
        FileDef::Dir("/sbin", 0o755),
        FileDef::File("/sbin/apk", 0o755, 68_848),
        FileDef::File("/sbin/ldconfig", 0o755, 393),
        FileDef::Links { dir: "/sbin", target: "/bin/busybox", names: ALPINE_SBIN_APPLETS },
        FileDef::Dir("/srv", 0o755),
        FileDef::Dir("/sys", 0o555),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/bin", 0o755),
        FileDef::Links { dir: "/usr/bin", target: "/bin/busybox", names: ALPINE_USR_BIN_APPLETS },
        FileDef::File("/usr/bin/getconf", 0o755, 34_400),
        FileDef::File("/usr/bin/getent", 0o755, 47_992),
        FileDef::File("/usr/bin/iconv", 0o755, 21_368),
        FileDef::Link("/usr/bin/ldd", "../../lib/ld-musl-x86_64.so.1"),
        FileDef::File("/usr/bin/scanelf", 0o755, 79_328),
        FileDef::File("/usr/bin/ssl_client", 0o755, 14_256),
        FileDef::Dir("/usr/lib", 0o755),
        FileDef::Dir("/usr/lib/engines-3", 0o755),
        FileDef::Dir("/usr/lib/ossl-modules", 0o755),
        FileDef::File("/usr/lib/ossl-modules/legacy.so", 0o755, 110_456),
        FileDef::Dir("/usr/local", 0o755),
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Dir("/usr/local/lib", 0o755),
        FileDef::Dir("/usr/local/share", 0o755),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::Links { dir: "/usr/sbin", target: "/bin/busybox", names: ALPINE_USR_SBIN_APPLETS },
        FileDef::Dir("/usr/share", 0o755),
        FileDef::Dir("/usr/share/apk", 0o755),
        FileDef::Dir("/usr/share/apk/keys", 0o755),
        FileDef::File("/usr/share/apk/keys/x86_64/alpine-devel@lists.alpinelinux.org-4a6a0840.rsa.pub", 0o644, 451),
        FileDef::Dir("/usr/share/udhcpc", 0o755),
        FileDef::File("/usr/share/udhcpc/default.script", 0o755, 3_150),
        FileDef::Dir("/var", 0o755),
        FileDef::Dir("/var/cache", 0o755),
        FileDef::Dir("/var/cache/apk", 0o755),
        FileDef::Dir("/var/empty", 0o555),
        FileDef::Dir("/var/lib", 0o755),
        FileDef::Dir("/var/lib/misc", 0o755),
        FileDef::Dir("/var/local", 0o755),
        FileDef::Link("/var/lock", "../run/lock"),
        FileDef::Dir("/var/log", 0o755),
        FileDef::Dir("/var/mail", 0o755),
        FileDef::Dir("/var/opt", 0o755),
        FileDef::Link("/var/run", "../run"),
        FileDef::Dir("/var/spool", 0o755),
        FileDef::Dir("/var/spool/cron", 0o755),
        FileDef::Link("/var/spool/cron/crontabs", "../../../etc/crontabs"),
        FileDef::Dir("/var/tmp", 0o1777),
        FileDef::File("/usr/lib/engines-3/loader_attic.so", 0o755, 127_962),
        FileDef::File("/usr/lib/engines-3/afalg.so", 0o755, 42_654),
        FileDef::File("/usr/lib/engines-3/padlock.so", 0o755, 42_654),
    ]],
};

/// ubuntu:24.04 (noble, Ubuntu 24.04.1 LTS): a usrmerged minimal Ubuntu.
static UBUNTU_LAYER: LayerDef = LayerDef {
    key: "ubuntu-24.04-noble-amd64",
    created_by: "/bin/sh -c #(nop) ADD file:a3272496fda5a8d021b94dccaa6baa685ded51e9d23edb05f0b30978a83c9fc2 in / ",
    compressed_size: 29_751_784,
    files: &[&[
        FileDef::Link("/bin", "usr/bin"),
        FileDef::Dir("/boot", 0o755),
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/home", 0o755),
        FileDef::Link("/lib", "usr/lib"),
        FileDef::Link("/lib64", "usr/lib64"),
        FileDef::Dir("/media", 0o755),
        FileDef::Dir("/mnt", 0o755),
        FileDef::Dir("/opt", 0o755),
        FileDef::Dir("/proc", 0o555),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/run", 0o755),
        FileDef::Dir("/run/lock", 0o1777),
        FileDef::Link("/sbin", "usr/sbin"),
        FileDef::Dir("/srv", 0o755),
        FileDef::Dir("/sys", 0o555),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr/include", 0o755),
        FileDef::Dir("/usr/libexec", 0o755),
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Dir("/usr/local/lib", 0o755),
        FileDef::Dir("/usr/local/sbin", 0o755),
        FileDef::Dir("/usr/local/share", 0o755),
        FileDef::Dir("/usr/src", 0o755),
        FileDef::Dir("/var/backups", 0o755),
        FileDef::Dir("/var/local", 0o2775),
        FileDef::Link("/var/lock", "/run/lock"),
        FileDef::Dir("/var/log", 0o755),
        FileDef::Dir("/var/mail", 0o2775),
        FileDef::Link("/var/run", "/run"),
        FileDef::Dir("/var/spool", 0o755),
        FileDef::Dir("/var/tmp", 0o1777),
        FileDef::Text("/etc/apt/apt.conf.d/docker-clean", 0o644, "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\nAPT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\nDir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n"),
        FileDef::Text("/etc/apt/sources.list.d/ubuntu.sources", 0o644, UBUNTU_SOURCES),
        FileDef::Text("/etc/apt/sources.list", 0o644, "# Ubuntu sources have moved to /etc/apt/sources.list.d/ubuntu.sources\n"),
        FileDef::Link("/etc/alternatives/awk", "/usr/bin/mawk"),
        FileDef::Text("/etc/debian_version", 0o644, "trixie/sid\n"),
        FileDef::Text("/etc/group", 0o644, UBUNTU_GROUP),
        FileDef::File("/etc/gshadow", 0o640, 537),
        FileDef::Text("/etc/host.conf", 0o644, "multi on\n"),
        FileDef::Text("/etc/issue", 0o644, "Ubuntu 24.04.1 LTS \\n \\l\n\n"),
        FileDef::File("/etc/ld.so.cache", 0o644, 6_148),
        FileDef::Link("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC"),
        FileDef::File("/etc/login.defs", 0o644, 12_345),
        FileDef::Text("/etc/lsb-release", 0o644, "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\nDISTRIB_DESCRIPTION=\"Ubuntu 24.04.1 LTS\"\n"),
        FileDef::Link("/etc/mtab", "../proc/self/mounts"),
        FileDef::Text("/etc/nsswitch.conf", 0o644, NSSWITCH),
        FileDef::Link("/etc/os-release", "../usr/lib/os-release"),
        FileDef::Text("/etc/passwd", 0o644, UBUNTU_PASSWD),
        FileDef::Text("/etc/profile", 0o644, DEBIAN_PROFILE),
        FileDef::File("/etc/shadow", 0o640, 533),
        FileDef::Text("/etc/shells", 0o644, "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n"),
        FileDef::File("/etc/skel/.bashrc", 0o644, 3_771),
        FileDef::File("/etc/skel/.profile", 0o644, 807),
        FileDef::File("/etc/skel/.bash_logout", 0o644, 220),
        FileDef::Dir("/home/ubuntu", 0o750),
        FileDef::File("/home/ubuntu/.bashrc", 0o644, 3_771),
        FileDef::File("/home/ubuntu/.profile", 0o644, 807),
        FileDef::File("/home/ubuntu/.bash_logout", 0o644, 220),
        FileDef::File("/root/.bashrc", 0o644, 3_106),
        FileDef::File("/root/.profile", 0o644, 161),
        FileDef::File("/usr/bin/bash", 0o755, 1_446_024),
        FileDef::File("/usr/bin/dash", 0o755, 125_640),
        FileDef::File("/usr/bin/cat", 0o755, 48_016),
        FileDef::File("/usr/bin/chmod", 0o755, 68_880),
        FileDef::File("/usr/bin/cp", 0o755, 155_248),
        FileDef::File("/usr/bin/cut", 0o755, 52_240),
        FileDef::File("/usr/bin/date", 0o755, 117_104),
        FileDef::File("/usr/bin/df", 0o755, 101_648),
        FileDef::File("/usr/bin/echo", 0o755, 39_760),
        FileDef::File("/usr/bin/env", 0o755, 52_240),
        FileDef::File("/usr/bin/false", 0o755, 31_888),
        FileDef::File("/usr/bin/find", 0o755, 228_944),
        FileDef::File("/usr/bin/grep", 0o755, 207_248),
        FileDef::File("/usr/bin/gzip", 0o755, 102_232),
        FileDef::File("/usr/bin/head", 0o755, 47_984),
        FileDef::File("/usr/bin/hostname", 0o755, 26_992),
        FileDef::File("/usr/bin/id", 0o755, 52_240),
        FileDef::File("/usr/bin/ln", 0o755, 77_072),
        FileDef::File("/usr/bin/ls", 0o755, 155_440),
        FileDef::File("/usr/bin/mkdir", 0o755, 101_232),
        FileDef::File("/usr/bin/mount", 0o755, 63_800),
        FileDef::File("/usr/bin/mv", 0o755, 151_632),
        FileDef::File("/usr/bin/nproc", 0o755, 48_048),
        FileDef::File("/usr/bin/printenv", 0o755, 43_856),
        FileDef::File("/usr/bin/pwd", 0o755, 48_016),
        FileDef::File("/usr/bin/rm", 0o755, 76_112),
        FileDef::File("/usr/bin/sed", 0o755, 126_320),
        FileDef::File("/usr/bin/sleep", 0o755, 43_856),
        FileDef::File("/usr/bin/sort", 0o755, 122_320),
        FileDef::File("/usr/bin/stat", 0o755, 92_400),
        FileDef::File("/usr/bin/su", 0o755, 76_096),
        FileDef::File("/usr/bin/tail", 0o755, 68_816),
        FileDef::File("/usr/bin/tar", 0o755, 541_160),
        FileDef::File("/usr/bin/touch", 0o755, 101_648),
        FileDef::File("/usr/bin/tr", 0o755, 55_952),
        FileDef::File("/usr/bin/true", 0o755, 31_888),
        FileDef::File("/usr/bin/umount", 0o755, 39_224),
        FileDef::File("/usr/bin/uname", 0o755, 43_856),
        FileDef::File("/usr/bin/wc", 0o755, 52_240),
        FileDef::File("/usr/bin/whoami", 0o755, 43_920),
        FileDef::File("/usr/bin/xargs", 0o755, 68_880),
        FileDef::File("/usr/bin/apt", 0o755, 22_920),
        FileDef::File("/usr/bin/apt-get", 0o755, 55_952),
        FileDef::File("/usr/bin/dpkg", 0o755, 313_128),
        FileDef::File("/usr/bin/perl", 0o755, 3_943_872),
        FileDef::File("/usr/bin/mawk", 0o755, 162_424),
        FileDef::Link("/usr/bin/sh", "dash"),
        FileDef::Link("/usr/bin/rbash", "bash"),
        FileDef::Link("/usr/bin/awk", "/etc/alternatives/awk"),
        FileDef::Link("/usr/bin/pidof", "/sbin/killall5"),
        FileDef::Text("/usr/bin/egrep", 0o755, "#!/bin/sh\ncmd=${0##*/}\necho \"$cmd: warning: $cmd is obsolescent; using grep -E\" >&2\nexec grep -E \"$@\"\n"),
        FileDef::File("/usr/bin/which.debianutils", 0o755, 1_076),
        FileDef::Link("/usr/bin/which", "/etc/alternatives/which"),
        FileDef::Link("/etc/alternatives/which", "/usr/bin/which.debianutils"),
        FileDef::File("/usr/sbin/chroot", 0o755, 48_144),
        FileDef::File("/usr/sbin/ldconfig", 0o755, 1_014_488),
        FileDef::File("/usr/sbin/nologin", 0o755, 14_640),
        FileDef::File("/usr/sbin/useradd", 0o755, 147_160),
        FileDef::File("/usr/sbin/groupadd", 0o755, 88_504),
        FileDef::File("/usr/sbin/killall5", 0o755, 22_928),
        FileDef::File("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0o755, 236_616),
        FileDef::Link("/usr/lib64/ld-linux-x86-64.so.2", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libc.so.6", 0o755, 2_125_328),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libm.so.6", 0o644, 952_616),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.33", 0o644, 2_592_224),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "libstdc++.so.6.0.33"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", 0o644, 183_024),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0.0", 0o644, 3_363_232),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0", "libapt-pkg.so.6.0.0"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libsystemd.so.0.38.0", 0o644, 965_488),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libsystemd.so.0", "libsystemd.so.0.38.0"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgnutls.so.30.37.1", 0o644, 2_268_864),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libunistring.so.5.0.0", 0o644, 1_842_640),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libz.so.1.3", 0o644, 113_000),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.3"),
        FileDef::Text("/usr/lib/os-release", 0o644, UBUNTU_OS_RELEASE),
        FileDef::File("/usr/lib/apt/methods/http", 0o755, 134_896),
        FileDef::File("/usr/lib/locale/C.utf8/LC_CTYPE", 0o644, 353_616),
        FileDef::File("/usr/share/zoneinfo/Etc/UTC", 0o644, 114),
        FileDef::Dir("/var/lib/apt/lists/partial", 0o700),
        FileDef::File("/var/lib/dpkg/status", 0o644, 84_520),
        FileDef::Dir("/var/cache/apt/archives/partial", 0o700),
        FileDef::File("/usr/lib/x86_64-linux-gnu/gconv/libCNS.so", 0o644, 10_284_453),
        FileDef::File("/usr/lib/x86_64-linux-gnu/perl-base/unicore/Name.pl", 0o644, 9_112_806),
        FileDef::File("/usr/share/zoneinfo/right/America/New_York", 0o644, 5_077_135),
        FileDef::File("/var/lib/dpkg/info/libc6:amd64.md5sums", 0o644, 4_296_037),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgcrypt.so.20.4.3", 0o644, 15_621_954),
        FileDef::File("/usr/bin/perl5.38.2", 0o755, 3_943_872),
        FileDef::File("/usr/share/bash-completion/bash_completion", 0o644, 1_952_744),
        FileDef::File("/var/cache/debconf/templates.dat", 0o644, 1_562_198),
    ]],
};

/// What debian:bookworm and debian:bookworm-slim share: the usr-merged root, the base
/// system's directories and files. Both layers list it first.
const DEBIAN_ROOTFS_COMMON: &[FileDef] = &[
    FileDef::Link("/bin", "usr/bin"),
    FileDef::Dir("/boot", 0o755),
    FileDef::Dir("/dev", 0o755),
    FileDef::Dir("/home", 0o755),
    FileDef::Link("/lib", "usr/lib"),
    FileDef::Link("/lib64", "usr/lib64"),
    FileDef::Dir("/media", 0o755),
    FileDef::Dir("/mnt", 0o755),
    FileDef::Dir("/opt", 0o755),
    FileDef::Dir("/proc", 0o555),
    FileDef::Dir("/root", 0o700),
    FileDef::Dir("/run", 0o755),
    FileDef::Dir("/run/lock", 0o1777),
    FileDef::Link("/sbin", "usr/sbin"),
    FileDef::Dir("/srv", 0o755),
    FileDef::Dir("/sys", 0o555),
    FileDef::Dir("/tmp", 0o1777),
    FileDef::Dir("/usr/include", 0o755),
    FileDef::Dir("/usr/libexec", 0o755),
    FileDef::Dir("/usr/local/bin", 0o755),
    FileDef::Dir("/usr/local/lib", 0o755),
    FileDef::Dir("/usr/local/sbin", 0o755),
    FileDef::Dir("/usr/local/share", 0o755),
    FileDef::Dir("/usr/src", 0o755),
    FileDef::Dir("/var/backups", 0o755),
    FileDef::Dir("/var/local", 0o2775),
    FileDef::Link("/var/lock", "/run/lock"),
    FileDef::Dir("/var/log", 0o755),
    FileDef::Dir("/var/mail", 0o2775),
    FileDef::Link("/var/run", "/run"),
    FileDef::Dir("/var/spool", 0o755),
    FileDef::Dir("/var/tmp", 0o1777),
    FileDef::Text("/etc/apt/apt.conf.d/docker-clean", 0o644, "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\nAPT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\nDir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n"),
    FileDef::Text("/etc/apt/sources.list.d/debian.sources", 0o644, DEBIAN_SOURCES),
    FileDef::Link("/etc/alternatives/awk", "/usr/bin/mawk"),
    FileDef::Text("/etc/debian_version", 0o644, "12.7\n"),
    FileDef::Text("/etc/group", 0o644, DEBIAN_GROUP),
    FileDef::File("/etc/gshadow", 0o640, 519),
    FileDef::Text("/etc/issue", 0o644, "Debian GNU/Linux 12 \\n \\l\n\n"),
    FileDef::File("/etc/ld.so.cache", 0o644, 5_919),
    FileDef::Link("/etc/localtime", "/usr/share/zoneinfo/Etc/UTC"),
    FileDef::Link("/etc/mtab", "../proc/self/mounts"),
    FileDef::Text("/etc/nsswitch.conf", 0o644, NSSWITCH),
    FileDef::Link("/etc/os-release", "../usr/lib/os-release"),
    FileDef::Text("/etc/passwd", 0o644, DEBIAN_PASSWD),
    FileDef::Text("/etc/profile", 0o644, DEBIAN_PROFILE),
    FileDef::File("/etc/shadow", 0o640, 501),
    FileDef::Text("/etc/shells", 0o644, "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n"),
    FileDef::File("/etc/skel/.bashrc", 0o644, 3_526),
    FileDef::File("/etc/skel/.profile", 0o644, 807),
    FileDef::Text("/etc/timezone", 0o644, "Etc/UTC\n"),
    FileDef::File("/root/.bashrc", 0o644, 571),
    FileDef::File("/root/.profile", 0o644, 161),
    FileDef::File("/usr/bin/bash", 0o755, 1_265_648),
    FileDef::File("/usr/bin/dash", 0o755, 125_640),
    FileDef::File("/usr/bin/cat", 0o755, 43_920),
    FileDef::File("/usr/bin/chmod", 0o755, 64_784),
    FileDef::File("/usr/bin/cp", 0o755, 151_152),
    FileDef::File("/usr/bin/cut", 0o755, 48_144),
    FileDef::File("/usr/bin/date", 0o755, 113_008),
    FileDef::File("/usr/bin/df", 0o755, 97_552),
    FileDef::File("/usr/bin/echo", 0o755, 35_664),
    FileDef::File("/usr/bin/env", 0o755, 48_144),
    FileDef::File("/usr/bin/false", 0o755, 27_792),
    FileDef::File("/usr/bin/find", 0o755, 224_848),
    FileDef::File("/usr/bin/grep", 0o755, 203_152),
    FileDef::File("/usr/bin/gzip", 0o755, 98_136),
    FileDef::File("/usr/bin/head", 0o755, 43_888),
    FileDef::File("/usr/bin/hostname", 0o755, 22_896),
    FileDef::File("/usr/bin/id", 0o755, 48_144),
    FileDef::File("/usr/bin/ln", 0o755, 72_976),
    FileDef::File("/usr/bin/ls", 0o755, 151_344),
    FileDef::File("/usr/bin/mkdir", 0o755, 97_136),
    FileDef::File("/usr/bin/mount", 0o755, 59_704),
    FileDef::File("/usr/bin/mv", 0o755, 147_536),
    FileDef::File("/usr/bin/nproc", 0o755, 43_952),
    FileDef::File("/usr/bin/perl", 0o755, 3_934_904),
    FileDef::File("/usr/bin/printenv", 0o755, 39_760),
    FileDef::File("/usr/bin/pwd", 0o755, 43_920),
    FileDef::File("/usr/bin/rm", 0o755, 72_016),
    FileDef::File("/usr/bin/sed", 0o755, 122_224),
    FileDef::File("/usr/bin/sleep", 0o755, 39_760),
    FileDef::File("/usr/bin/sort", 0o755, 118_224),
    FileDef::File("/usr/bin/stat", 0o755, 88_304),
    FileDef::File("/usr/bin/su", 0o755, 72_000),
    FileDef::File("/usr/bin/tail", 0o755, 64_720),
    FileDef::File("/usr/bin/tar", 0o755, 537_064),
    FileDef::File("/usr/bin/touch", 0o755, 97_552),
    FileDef::File("/usr/bin/tr", 0o755, 51_856),
    FileDef::File("/usr/bin/true", 0o755, 27_792),
    FileDef::File("/usr/bin/umount", 0o755, 35_128),
    FileDef::File("/usr/bin/uname", 0o755, 39_760),
    FileDef::File("/usr/bin/wc", 0o755, 48_144),
    FileDef::File("/usr/bin/whoami", 0o755, 39_824),
    FileDef::File("/usr/bin/xargs", 0o755, 64_784),
    FileDef::File("/usr/bin/mawk", 0o755, 158_664),
    FileDef::File("/usr/bin/apt", 0o755, 18_824),
    FileDef::File("/usr/bin/apt-get", 0o755, 51_856),
    FileDef::File("/usr/bin/dpkg", 0o755, 309_032),
    FileDef::Link("/usr/bin/sh", "dash"),
    FileDef::Link("/usr/bin/rbash", "bash"),
    FileDef::Link("/usr/bin/awk", "/etc/alternatives/awk"),
    FileDef::Link("/usr/bin/pidof", "/sbin/killall5"),
    FileDef::Text("/usr/bin/egrep", 0o755, "#!/bin/sh\ncmd=${0##*/}\necho \"$cmd: warning: $cmd is obsolescent; using grep -E\" >&2\nexec grep -E \"$@\"\n"),
    FileDef::File("/usr/bin/which.debianutils", 0o755, 1_076),
    FileDef::Link("/usr/bin/which", "/etc/alternatives/which"),
    FileDef::Link("/etc/alternatives/which", "/usr/bin/which.debianutils"),
    FileDef::File("/usr/sbin/chroot", 0o755, 48_144),
    FileDef::File("/usr/sbin/ldconfig", 0o755, 1_014_488),
    FileDef::File("/usr/sbin/nologin", 0o755, 14_640),
    FileDef::File("/usr/sbin/useradd", 0o755, 147_160),
    FileDef::File("/usr/sbin/groupadd", 0o755, 88_504),
    FileDef::File("/usr/sbin/killall5", 0o755, 22_928),
    FileDef::File("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0o755, 210_904),
    FileDef::Link("/usr/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libc.so.6", 0o644, 1_922_136),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libm.so.6", 0o644, 907_784),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30", 0o644, 2_260_296),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libgcc_s.so.1", 0o644, 125_312),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libapt-pkg.so.6.0.0", 0o644, 3_268_872),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libsystemd.so.0.35.0", 0o644, 912_024),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libgnutls.so.30.34.3", 0o644, 2_131_272),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libunistring.so.2.2.0", 0o644, 1_798_520),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4", 0o644, 874_968),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libselinux.so.1", 0o644, 174_096),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libtinfo.so.6.4", 0o644, 200_136),
    FileDef::File("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 0o644, 121_280),
    FileDef::Link("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "libstdc++.so.6.0.30"),
    FileDef::Link("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.2.13"),
    FileDef::Text("/usr/lib/os-release", 0o644, DEBIAN_OS_RELEASE),
    FileDef::File("/usr/lib/apt/methods/http", 0o755, 126_200),
    FileDef::File("/usr/lib/locale/C.utf8/LC_CTYPE", 0o644, 346_132),
    FileDef::File("/usr/share/zoneinfo/Etc/UTC", 0o644, 114),
    FileDef::File("/usr/share/zoneinfo/Europe/London", 0o644, 3_664),
    FileDef::Dir("/var/lib/apt/lists/partial", 0o700),
    FileDef::File("/var/lib/dpkg/status", 0o644, 76_254),
    FileDef::Dir("/var/cache/apt/archives/partial", 0o700),
];

/// debian:bookworm (12.7, bookworm-20241016): the full minbase rootfs, with docs, man pages and locales.
static DEBIAN_LAYER: LayerDef = LayerDef {
    key: "debian-bookworm-20241016-amd64",
    created_by: "/bin/sh -c #(nop) ADD file:b4987bca8c4c4c640d6b71dcccfd7172b44771e0f851a47d05c00c2bdcd204f6 in / ",
    compressed_size: 49_555_023,
    files: &[DEBIAN_ROOTFS_COMMON, &[
            FileDef::File("/usr/lib/x86_64-linux-gnu/gconv/libCNS.so", 0o644, 8_929_838),
            FileDef::File("/usr/lib/x86_64-linux-gnu/perl-base/unicore/Name.pl", 0o644, 8_107_353),
            FileDef::File("/usr/share/zoneinfo/right/America/New_York", 0o644, 4_582_416),
            FileDef::File("/var/lib/dpkg/info/libc6:amd64.md5sums", 0o644, 3_642_434),
            FileDef::File("/usr/lib/x86_64-linux-gnu/libsepol.so.2", 0o644, 10_574_808),
            FileDef::File("/usr/bin/perl5.36.0", 0o755, 3_934_904),
            FileDef::File("/usr/share/bash-completion/bash_completion", 0o644, 1_762_468),
            FileDef::File("/var/cache/debconf/templates.dat", 0o644, 1_409_974),
            FileDef::File("/usr/share/doc/bash/README", 0o644, 3_025),
            FileDef::File("/usr/share/man/man1/bash.1.gz", 0o644, 102_286),
            FileDef::File("/usr/share/man/man1/ls.1.gz", 0o644, 3_465),
            FileDef::File("/usr/share/info/coreutils.info.gz", 0o644, 331_270),
            FileDef::File("/usr/share/locale/de/LC_MESSAGES/coreutils.mo", 0o644, 451_032),
            FileDef::File("/usr/share/doc/libc6/changelog.Debian.gz", 0o644, 10_574_808),
            FileDef::File("/usr/share/locale/fr/LC_MESSAGES/coreutils.mo", 0o644, 19_974_638),
            FileDef::File("/usr/share/man/man3/perl.3perl.gz", 0o644, 10_574_808),
            FileDef::File("/usr/share/info/libc.info-1.gz", 0o644, 5_874_897),
    ]],
};

/// debian:bookworm-slim (12.7, bookworm-20241016): the same packages without docs, man pages and locales.
/// The first layer of nginx and redis.
static DEBIAN_SLIM_LAYER: LayerDef = LayerDef {
    key: "debian-bookworm-slim-20241016-amd64",
    created_by: "/bin/sh -c #(nop) ADD file:90b9dd8f12120e8b2cd3ece45fcbe8af67e40565e2032a40f64bd921c43e2ce7 in / ",
    compressed_size: 29_126_289,
    files: &[DEBIAN_ROOTFS_COMMON, &[
            FileDef::File("/usr/lib/x86_64-linux-gnu/gconv/libCNS.so", 0o644, 10_244_667),
            FileDef::File("/usr/lib/x86_64-linux-gnu/perl-base/unicore/Name.pl", 0o644, 9_301_079),
            FileDef::File("/usr/share/zoneinfo/right/America/New_York", 0o644, 5_257_131),
            FileDef::File("/var/lib/dpkg/info/libc6:amd64.md5sums", 0o644, 4_178_745),
            FileDef::File("/usr/lib/x86_64-linux-gnu/libsepol.so.2", 0o644, 12_131_842),
            FileDef::File("/usr/bin/perl5.36.0", 0o755, 3_934_904),
            FileDef::File("/usr/share/bash-completion/bash_completion", 0o644, 2_021_973),
            FileDef::File("/var/cache/debconf/templates.dat", 0o644, 1_617_583),
    ]],
};

const NGINX_RUN_CREATED_BY: &str = "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     &&     NGINX_GPGKEYS=\"573BFD6B3D8FBC641079A6ABABF5BD827BD9BF62 8540A6F18833A80E9C1653A42FD21310B49F6B46 9E9BE90EACBCDE69FE9B204CBCDCD8A38D88A2B3\";     NGINX_GPGKEY_PATH=/etc/apt/keyrings/nginx-archive-keyring.gpg;     export GNUPGHOME=\"$(mktemp -d)\";     found='';     for NGINX_GPGKEY in $NGINX_GPGKEYS; do     for server in         hkp://keyserver.ubuntu.com:80         pgp.mit.edu     ; do         echo \"Fetching GPG key $NGINX_GPGKEY from $server\";         gpg1 --keyserver \"$server\" --keyserver-options timeout=10 --recv-keys \"$NGINX_GPGKEY\" && found=yes && break;     done;     test -z \"$found\" && echo >&2 \"error: failed to fetch GPG key $NGINX_GPGKEY\" && exit 1;     done;     gpg1 --export \"$NGINX_GPGKEYS\" > \"$NGINX_GPGKEY_PATH\" ;     rm -rf \"$GNUPGHOME\";     apt-get remove --purge --auto-remove -y gnupg1 && rm -rf /var/lib/apt/lists/*     && dpkgArch=\"$(dpkg --print-architecture)\"     && nginxPackages=\"         nginx=${NGINX_VERSION}-${PKG_RELEASE}         nginx-module-xslt=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-geoip=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-image-filter=${NGINX_VERSION}-${DYNPKG_RELEASE}         nginx-module-njs=${NGINX_VERSION}+${NJS_VERSION}-${NJS_RELEASE}     \"     && case \"$dpkgArch\" in         amd64|arm64)             echo \"deb [signed-by=$NGINX_GPGKEY_PATH] https://nginx.org/packages/mainline/debian/ bookworm nginx\" >> /etc/apt/sources.list.d/nginx.list             && apt-get update             ;;         *)             tempDir=\"$(mktemp -d)\"             && chmod 777 \"$tempDir\"                         && savedAptMark=\"$(apt-mark showmanual)\"                         && apt-get update             && apt-get install --no-install-recommends --no-install-suggests -y                 curl                 devscripts                 equivs                 git                 libxml2-utils                 lsb-release                 xsltproc             && (                 cd \"$tempDir\"                 && REVISION=\"${NGINX_VERSION}-${PKG_RELEASE}\"                 && REVISION=${REVISION%~*}                 && curl -f -L -O https://github.com/nginx/pkg-oss/archive/${REVISION}.tar.gz                 && PKGOSSCHECKSUM=\"6982e2df739645fc72db5bdf994032f799718230e7016e811d9d482e5cf41814c888660ca9a68814d5e99ab571e892ada3bd43166e720cbf04c7f85b6934772c *${REVISION}.tar.gz\"                 && if [ \"$(openssl sha512 -r ${REVISION}.tar.gz)\" = \"$PKGOSSCHECKSUM\" ]; then                     echo \"pkg-oss tarball checksum verification succeeded!\";                 else                     echo \"pkg-oss tarball checksum verification failed!\";                     exit 1;                 fi                 && tar xzvf ${REVISION}.tar.gz                 && cd pkg-oss-${REVISION}                 && cd debian                 && for target in base module-geoip module-image-filter module-njs module-xslt; do                     make rules-$target;                     mk-build-deps --install --tool=\"apt-get -o Debug::pkgProblemResolver=yes --no-install-recommends --yes\"                         debuild-$target/nginx-$NGINX_VERSION/debian/control;                 done                 && make base module-geoip module-image-filter module-njs module-xslt             )                         && apt-mark showmanual | xargs apt-mark auto > /dev/null             && { [ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark; }                         && ls -lAFh \"$tempDir\"             && ( cd \"$tempDir\" && dpkg-scanpackages . > Packages )             && grep '^Package: ' \"$tempDir/Packages\"             && echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list             && apt-get -o Acquire::GzipIndexes=false update             ;;     esac         && apt-get install --no-install-recommends --no-install-suggests -y                         $nginxPackages                         gettext-base                         curl     && apt-get remove --purge --auto-remove -y && rm -rf /var/lib/apt/lists/* /etc/apt/sources.list.d/nginx.list         && if [ -n \"$tempDir\" ]; then         apt-get purge -y --auto-remove         && rm -rf \"$tempDir\" /etc/apt/sources.list.d/temp.list;     fi     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d # buildkit";
static NGINX_RUN_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-run",
    created_by: NGINX_RUN_CREATED_BY,
    compressed_size: 43_798_364,
    files: &[&[
        FileDef::Text("/etc/passwd", 0o644, NGINX_PASSWD),
        FileDef::Text("/etc/group", 0o644, NGINX_GROUP),
        FileDef::File("/etc/shadow", 0o640, 528),
        FileDef::File("/etc/gshadow", 0o640, 533),
        FileDef::Dir("/etc/apt/keyrings", 0o755),
        FileDef::File("/etc/apt/keyrings/nginx-archive-keyring.gpg", 0o644, 3_602),
        FileDef::Dir("/etc/nginx", 0o755),
        FileDef::Dir("/etc/nginx/conf.d", 0o755),
        FileDef::Text("/etc/nginx/nginx.conf", 0o644, NGINX_CONF),
        FileDef::Text("/etc/nginx/conf.d/default.conf", 0o644, NGINX_DEFAULT_CONF),
        FileDef::File("/etc/nginx/mime.types", 0o644, 5_349),
        FileDef::File("/etc/nginx/fastcgi_params", 0o644, 1_007),
        FileDef::File("/etc/nginx/scgi_params", 0o644, 636),
        FileDef::File("/etc/nginx/uwsgi_params", 0o644, 664),
        FileDef::Link("/etc/nginx/modules", "../../usr/lib/nginx/modules"),
        FileDef::Dir("/etc/ssl", 0o755),
        FileDef::Dir("/etc/ssl/certs", 0o755),
        FileDef::File("/etc/ssl/certs/ca-certificates.crt", 0o644, 219_051),
        FileDef::Dir("/docker-entrypoint.d", 0o755),
        FileDef::File("/usr/sbin/nginx", 0o755, 1_472_048),
        FileDef::File("/usr/sbin/nginx-debug", 0o755, 1_522_296),
        FileDef::Dir("/usr/lib/nginx", 0o755),
        FileDef::Dir("/usr/lib/nginx/modules", 0o755),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_http_geoip_module.so",
            0o644,
            23_192,
        ),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_http_image_filter_module.so",
            0o644,
            31_576,
        ),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_http_js_module.so",
            0o644,
            1_942_048,
        ),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_http_xslt_filter_module.so",
            0o644,
            31_640,
        ),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_stream_js_module.so",
            0o644,
            1_909_376,
        ),
        FileDef::Dir("/usr/share/nginx", 0o755),
        FileDef::Dir("/usr/share/nginx/html", 0o755),
        FileDef::Text("/usr/share/nginx/html/index.html", 0o644, NGINX_INDEX),
        FileDef::Text("/usr/share/nginx/html/50x.html", 0o644, NGINX_50X),
        FileDef::Dir("/var/cache/nginx", 0o755),
        FileDef::Dir("/var/log/nginx", 0o755),
        FileDef::Link("/var/log/nginx/access.log", "/dev/stdout"),
        FileDef::Link("/var/log/nginx/error.log", "/dev/stderr"),
        FileDef::File("/usr/bin/curl", 0o755, 260_976),
        FileDef::File("/usr/bin/envsubst", 0o755, 39_296),
        FileDef::File("/usr/bin/openssl", 0o755, 1_005_280),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", 0o644, 760_880),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libcurl.so.4", "libcurl.so.4.8.0"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssl.so.3", 0o644, 696_200),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 0o644, 4_709_536),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libxml2.so.2.9.14",
            0o644,
            1_999_944,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libxslt.so.1.1.35",
            0o644,
            259_416,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgd.so.3.0.11", 0o644, 443_648),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libGeoIP.so.1.6.12",
            0o644,
            146_720,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libicuuc.so.72.1",
            0o644,
            2_105_120,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libicudata.so.72.1",
            0o644,
            30_828_480,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libicui18n.so.72.1",
            0o644,
            3_389_392,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libtiff.so.6.0.0", 0o644, 536_384),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libfreetype.so.6.18.3",
            0o644,
            792_448,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libfontconfig.so.1.12.0",
            0o644,
            305_080,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libwebp.so.7.1.5", 0o644, 419_744),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libjpeg.so.62.3.0",
            0o644,
            432_992,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libpng16.so.16.39.0",
            0o644,
            215_184,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libX11.so.6.4.0",
            0o644,
            1_338_176,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libkrb5.so.3.3", 0o644, 823_848),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libldap-2.5.so.0.1.8",
            0o644,
            362_280,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libnghttp2.so.14.24.1",
            0o644,
            182_168,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssh2.so.1.0.1", 0o644, 275_240),
        FileDef::Dir("/usr/share/GeoIP", 0o755),
        FileDef::File("/usr/share/GeoIP/GeoIP.dat", 0o644, 1_305_080),
        FileDef::File("/usr/share/GeoIP/GeoIPv6.dat", 0o644, 3_014_010),
        FileDef::Dir("/usr/share/fonts/truetype/dejavu", 0o755),
        FileDef::File(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            0o644,
            757_076,
        ),
        FileDef::File("/var/lib/dpkg/status", 0o644, 124_887),
        FileDef::File(
            "/usr/lib/nginx/modules/ngx_http_js_module-debug.so",
            0o644,
            7_502_163,
        ),
        FileDef::File(
            "/usr/share/X11/locale/en_US.UTF-8/Compose",
            0o644,
            3_751_081,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libxcb.so.1.1.0",
            0o644,
            11_253_244,
        ),
        FileDef::File(
            "/var/lib/dpkg/info/libicu72:amd64.md5sums",
            0o644,
            2_813_311,
        ),
        FileDef::File("/usr/share/doc/libicu72/copyright", 0o644, 3_751_081),
        FileDef::File("/var/cache/debconf/templates.dat", 0o644, 1_875_540),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libbrotlienc.so.1.0.9",
            0o644,
            18_755_407,
        ),
        FileDef::File(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
            0o644,
            2_813_314,
        ),
    ]],
};

static NGINX_ENTRYPOINT_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-copy-docker-entrypoint.sh",
    created_by: "COPY docker-entrypoint.sh / # buildkit",
    compressed_size: 629,
    files: &[&[FileDef::Text(
        "/docker-entrypoint.sh",
        0o755,
        NGINX_ENTRYPOINT,
    )]],
};

static NGINX_10_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-copy-10-listen-on-ipv6-by-default.sh",
    created_by: "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit",
    compressed_size: 955,
    files: &[&[
        FileDef::Dir("/docker-entrypoint.d", 0o755),
        FileDef::Text(
            "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
            0o755,
            NGINX_10_IPV6,
        ),
    ]],
};

static NGINX_15_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-copy-15-local-resolvers.envsh",
    created_by: "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit",
    compressed_size: 404,
    files: &[&[
        FileDef::Dir("/docker-entrypoint.d", 0o755),
        FileDef::Text(
            "/docker-entrypoint.d/15-local-resolvers.envsh",
            0o755,
            NGINX_15_RESOLVERS,
        ),
    ]],
};

static NGINX_20_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-copy-20-envsubst-on-templates.sh",
    created_by: "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit",
    compressed_size: 1_210,
    files: &[&[
        FileDef::Dir("/docker-entrypoint.d", 0o755),
        FileDef::Text(
            "/docker-entrypoint.d/20-envsubst-on-templates.sh",
            0o755,
            NGINX_20_ENVSUBST,
        ),
    ]],
};

static NGINX_30_LAYER: LayerDef = LayerDef {
    key: "nginx-1.27.2-copy-30-tune-worker-processes.sh",
    created_by: "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit",
    compressed_size: 1_398,
    files: &[&[
        FileDef::Dir("/docker-entrypoint.d", 0o755),
        FileDef::Text(
            "/docker-entrypoint.d/30-tune-worker-processes.sh",
            0o755,
            NGINX_30_TUNE,
        ),
    ]],
};

static REDIS_USER_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-useradd",
    created_by: "RUN /bin/sh -c set -eux; \tgroupadd -r -g 999 redis; \tuseradd -r -g redis -u 999 redis # buildkit",
    compressed_size: 1_102,
    files: &[&[
        FileDef::Text("/etc/passwd", 0o644, REDIS_PASSWD),
        FileDef::Text("/etc/passwd-", 0o644, DEBIAN_PASSWD),
        FileDef::Text("/etc/group", 0o644, REDIS_GROUP),
        FileDef::Text("/etc/group-", 0o644, DEBIAN_GROUP),
        FileDef::File("/etc/shadow", 0o640, 519),
        FileDef::File("/etc/shadow-", 0o640, 501),
        FileDef::File("/etc/gshadow", 0o640, 530),
        FileDef::File("/etc/gshadow-", 0o640, 519),
    ]],
};

const REDIS_TZDATA_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\ttzdata \t; \trm -rf /var/lib/apt/lists/* # buildkit";
static REDIS_TZDATA_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-tzdata",
    created_by: REDIS_TZDATA_CREATED_BY,
    compressed_size: 873,
    files: &[&[
        FileDef::Dir("/var/lib/apt/lists", 0o755),
        FileDef::Dir("/var/lib/apt/lists/partial", 0o700),
        FileDef::Dir("/var/log/apt", 0o755),
        FileDef::File("/var/log/apt/eipp.log.xz", 0o644, 1_232),
    ]],
};

const REDIS_GOSU_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends ca-certificates gnupg wget; \trm -rf /var/lib/apt/lists/*; \tarch=\"$(dpkg --print-architecture | awk -F- '{ print $NF }')\"; \tcase \"$arch\" in \t\t'amd64') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-amd64'; sha256='bbc4136d03ab138b1ad66fa4fc051bafc6cc7ffae632b069a53657279a450de3' ;; \t\t'arm64') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-arm64'; sha256='c3805a85d17f4454c23d7059bcb97e1ec1af272b90126e79ed002342de08389b' ;; \t\t'armel') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-armel'; sha256='f9969910fa141140438c998cfa02f603bf213b11afd466dcde8fa940e700945d' ;; \t\t'i386') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-i386'; sha256='087dbb8fe479537e64f9c86fa49ff3b41dee1cbd28739a19aaef83dc8186b1ca' ;; \t\t'mips64el') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-mips64el'; sha256='87140029d792595e660be0015341dfa1c02d1181459ae40df9f093e471d75b70' ;; \t\t'ppc64el') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-ppc64el'; sha256='1891acdcfa70046818ab6ed3c52b9d42fa10fbb7b340eb429c8c7849691dbd76' ;; \t\t'riscv64') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-riscv64'; sha256='38a6444b57adce135c42d5a3689f616fc7803ddc7a07ff6f946f2ebc67a26ba6' ;; \t\t's390x') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-s390x'; sha256='69873bab588192f760547ca1f75b27cfcf106e9f7403fee6fd0600bc914979d0' ;; \t\t'armhf') url='https://github.com/tianon/gosu/releases/download/1.17/gosu-armhf'; sha256='e5866286277ff2a2159fb9196fea13e0a59d3f1091ea46ddb985160b94b6841b' ;; \t\t*) echo >&2 \"error: unsupported gosu architecture: '$arch'\"; exit 1 ;; \tesac; \twget -O /usr/local/bin/gosu.asc \"$url.asc\"; \twget -O /usr/local/bin/gosu \"$url\"; \techo \"$sha256 */usr/local/bin/gosu\" | sha256sum -c -; \texport GNUPGHOME=\"$(mktemp -d)\"; \tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4; \tgpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\" /usr/local/bin/gosu.asc; \tapt-mark auto '.*' > /dev/null; \t[ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark > /dev/null; \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \tchmod +x /usr/local/bin/gosu; \tgosu --version; \tgosu nobody true # buildkit";
static REDIS_GOSU_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-gosu",
    created_by: REDIS_GOSU_CREATED_BY,
    compressed_size: 1_437_811,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::File("/usr/local/bin/gosu", 0o755, 2_252_800),
        FileDef::File("/var/lib/dpkg/status", 0o644, 78_121),
        FileDef::File("/var/lib/dpkg/status-old", 0o644, 78_121),
        FileDef::Dir("/var/log/apt", 0o755),
        FileDef::File("/var/log/apt/history.log", 0o644, 4_914),
        FileDef::File("/var/log/apt/term.log", 0o644, 21_375),
        FileDef::File("/var/log/dpkg.log", 0o644, 71_733),
        FileDef::File("/var/log/apt/eipp.log.xz", 0o644, 22_396),
        FileDef::File("/etc/ld.so.cache", 0o644, 7_862),
        FileDef::File("/var/cache/debconf/templates.dat", 0o644, 882_775),
        FileDef::File("/var/cache/debconf/templates.dat-old", 0o644, 686_603),
        FileDef::File("/var/lib/dpkg/info/ca-certificates.list", 0o644, 19_618),
    ]],
};

const REDIS_BUILD_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \t\tsavedAptMark=\"$(apt-mark showmanual)\"; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\twget \t\t\t\tdpkg-dev \t\tgcc \t\tlibc6-dev \t\tlibssl-dev \t\tmake \t; \trm -rf /var/lib/apt/lists/*; \t\twget -O redis.tar.gz \"$REDIS_DOWNLOAD_URL\"; \techo \"$REDIS_DOWNLOAD_SHA *redis.tar.gz\" | sha256sum -c -; \tmkdir -p /usr/src/redis; \ttar -xzf redis.tar.gz -C /usr/src/redis --strip-components=1; \trm redis.tar.gz; \t\tgrep -E '^ *createBoolConfig[(]\"protected-mode\",.*, *1 *,.*[)],$' /usr/src/redis/src/config.c; \tsed -ri 's!^( *createBoolConfig[(]\"protected-mode\",.*, *)1( *,.*[)],)$!\\10\\2!' /usr/src/redis/src/config.c; \tgrep -E '^ *createBoolConfig[(]\"protected-mode\",.*, *0 *,.*[)],$' /usr/src/redis/src/config.c; \t\tgnuArch=\"$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)\"; \textraJemallocConfigureFlags=\"--build=$gnuArch\"; \tdpkgArch=\"$(dpkg --print-architecture)\"; \tcase \"${dpkgArch##*-}\" in \t\tamd64 | i386 | x32) extraJemallocConfigureFlags=\"$extraJemallocConfigureFlags --with-lg-page=12\" ;; \t\t*) extraJemallocConfigureFlags=\"$extraJemallocConfigureFlags --with-lg-page=16\" ;; \tesac; \textraJemallocConfigureFlags=\"$extraJemallocConfigureFlags --with-lg-hugepage=21\"; \tgrep -F 'cd jemalloc && ./configure ' /usr/src/redis/deps/Makefile; \tsed -ri 's!cd jemalloc && ./configure !&'\"$extraJemallocConfigureFlags\"' !' /usr/src/redis/deps/Makefile; \tgrep -F \"cd jemalloc && ./configure $extraJemallocConfigureFlags \" /usr/src/redis/deps/Makefile; \t\texport BUILD_TLS=yes; \tmake -C /usr/src/redis -j \"$(nproc)\" all; \tmake -C /usr/src/redis install; \t\tserverMd5=\"$(md5sum /usr/local/bin/redis-server | cut -d' ' -f1)\"; export serverMd5; \tfind /usr/local/bin/redis* -maxdepth 0 \t\t-type f -not -name redis-server \t\t-exec sh -eux -c ' \t\t\tmd5=\"$(md5sum \"$1\" | cut -d\" \" -f1)\"; \t\t\ttest \"$md5\" = \"$serverMd5\"; \t\t' -- '{}' ';' \t\t-exec ln -svfT 'redis-server' '{}' ';' \t; \t\trm -r /usr/src/redis; \t\tapt-mark auto '.*' > /dev/null; \t[ -z \"$savedAptMark\" ] || apt-mark manual $savedAptMark > /dev/null; \tfind /usr/local -type f -executable -exec ldd '{}' ';' \t\t| awk '/=>/ { so = $(NF-1); if (index(so, \"/usr/local/\") == 1) { next }; gsub(\"^/(usr/)?\", \"\", so); printf \"*%s\\n\", so }' \t\t| sort -u \t\t| xargs -r dpkg-query --search \t\t| cut -d: -f1 \t\t| sort -u \t\t| xargs -r apt-mark manual \t; \tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \t\tredis-cli --version; \tredis-server --version # buildkit";
static REDIS_BUILD_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-build",
    created_by: REDIS_BUILD_CREATED_BY,
    compressed_size: 15_325_951,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::File("/usr/local/bin/redis-server", 0o755, 15_106_320),
        FileDef::File("/usr/local/bin/redis-cli", 0o755, 7_914_344),
        FileDef::File("/usr/local/bin/redis-benchmark", 0o755, 7_598_584),
        FileDef::Link("/usr/local/bin/redis-check-aof", "redis-server"),
        FileDef::Link("/usr/local/bin/redis-check-rdb", "redis-server"),
        FileDef::Link("/usr/local/bin/redis-sentinel", "redis-server"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssl.so.3", 0o644, 696_200),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 0o644, 4_709_536),
        FileDef::Dir("/usr/lib/x86_64-linux-gnu/engines-3", 0o755),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/engines-3/afalg.so",
            0o644,
            22_952,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/engines-3/padlock.so",
            0o644,
            18_912,
        ),
        FileDef::Dir("/usr/lib/x86_64-linux-gnu/ossl-modules", 0o755),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/ossl-modules/legacy.so",
            0o644,
            145_016,
        ),
        FileDef::File("/var/lib/dpkg/status", 0o644, 78_937),
        FileDef::File("/var/lib/dpkg/status-old", 0o644, 78_121),
        FileDef::File("/var/log/apt/history.log", 0o644, 9_321),
        FileDef::File("/var/log/dpkg.log", 0o644, 366_122),
        FileDef::File("/var/log/apt/term.log", 0o644, 118_263),
        FileDef::File("/var/log/apt/eipp.log.xz", 0o644, 27_020),
        FileDef::File("/etc/ld.so.cache", 0o644, 8_350),
        FileDef::File("/var/cache/debconf/templates.dat", 0o644, 695_400),
        FileDef::File("/var/cache/debconf/templates.dat-old", 0o644, 695_400),
        FileDef::File("/var/lib/dpkg/info/libssl3:amd64.md5sums", 0o644, 618),
        FileDef::File("/usr/share/doc/libssl3/changelog.Debian.gz", 0o644, 2_320),
    ]],
};

static REDIS_DATA_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-mkdir-data",
    created_by: "RUN /bin/sh -c mkdir /data && chown redis:redis /data # buildkit",
    compressed_size: 96,
    files: &[&[FileDef::Dir("/data", 0o755)]],
};

/// An empty layer (a WORKDIR whose directory already existed). Every empty layer has the same digest.
static EMPTY_LAYER: LayerDef = LayerDef {
    key: "empty",
    created_by: "WORKDIR /data",
    compressed_size: 32,
    files: &[&[]],
};

static REDIS_ENTRYPOINT_LAYER: LayerDef = LayerDef {
    key: "redis-7.4.1-copy-entrypoint",
    created_by: "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
    compressed_size: 572,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Text(
            "/usr/local/bin/docker-entrypoint.sh",
            0o755,
            REDIS_ENTRYPOINT,
        ),
    ]],
};

/// oraclelinux:9-slim (Oracle Linux 9.4): the base of mysql:8.4.
static ORACLELINUX_LAYER: LayerDef = LayerDef {
    key: "oraclelinux-9-slim-amd64-20241014",
    created_by: "ADD oraclelinux-9-slim-amd64-rootfs.tar.xz / # buildkit",
    compressed_size: 49_218_059,
    files: &[&[
        FileDef::Link("/bin", "usr/bin"),
        FileDef::Dir("/boot", 0o555),
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Dir("/home", 0o755),
        FileDef::Link("/lib", "usr/lib"),
        FileDef::Link("/lib64", "usr/lib64"),
        FileDef::Dir("/media", 0o755),
        FileDef::Dir("/mnt", 0o755),
        FileDef::Dir("/opt", 0o755),
        FileDef::Dir("/proc", 0o555),
        FileDef::Dir("/root", 0o550),
        FileDef::Dir("/run", 0o755),
        FileDef::Link("/sbin", "usr/sbin"),
        FileDef::Dir("/srv", 0o755),
        FileDef::Dir("/sys", 0o555),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/bin", 0o755),
        FileDef::Dir("/usr/lib", 0o755),
        FileDef::Dir("/usr/lib64", 0o755),
        FileDef::Dir("/usr/libexec", 0o755),
        FileDef::Dir("/usr/local", 0o755),
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::Dir("/usr/share", 0o755),
        FileDef::Dir("/var", 0o755),
        FileDef::Dir("/var/cache", 0o755),
        FileDef::Dir("/var/lib", 0o755),
        FileDef::Dir("/var/log", 0o755),
        FileDef::Link("/var/run", "../run"),
        FileDef::Dir("/var/tmp", 0o1777),
        FileDef::Link("/etc/os-release", "../usr/lib/os-release"),
        FileDef::Text("/usr/lib/os-release", 0o644, OL_OS_RELEASE),
        FileDef::Text(
            "/etc/oracle-release",
            0o644,
            "Oracle Linux Server release 9.4\n",
        ),
        FileDef::Link("/etc/redhat-release", "oracle-release"),
        FileDef::Link("/etc/system-release", "oracle-release"),
        FileDef::Text("/etc/passwd", 0o644, OL_PASSWD),
        FileDef::Text("/etc/group", 0o644, OL_GROUP),
        FileDef::File("/etc/shadow", 0o0, 426),
        FileDef::File("/etc/gshadow", 0o0, 368),
        FileDef::File("/etc/bashrc", 0o644, 3_019),
        FileDef::File("/etc/profile", 0o644, 1_899),
        FileDef::File("/etc/login.defs", 0o644, 2_972),
        FileDef::Text(
            "/etc/shells",
            0o644,
            "/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n",
        ),
        FileDef::File("/etc/nsswitch.conf", 0o644, 1_746),
        FileDef::File("/etc/ld.so.cache", 0o644, 11_208),
        FileDef::Link("/etc/localtime", "../usr/share/zoneinfo/UTC"),
        FileDef::Dir("/etc/yum.repos.d", 0o755),
        FileDef::File("/etc/yum.repos.d/oracle-linux-ol9.repo", 0o644, 1_004),
        FileDef::File("/etc/yum.repos.d/uek-ol9.repo", 0o644, 429),
        FileDef::Dir("/etc/pki", 0o755),
        FileDef::Dir("/etc/pki/rpm-gpg", 0o755),
        FileDef::File("/etc/pki/rpm-gpg/RPM-GPG-KEY-oracle", 0o644, 3_137),
        FileDef::Dir("/etc/pki/tls/certs", 0o755),
        FileDef::Link(
            "/etc/pki/tls/certs/ca-bundle.crt",
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
        ),
        FileDef::File(
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
            0o444,
            218_294,
        ),
        FileDef::File("/usr/bin/bash", 0o755, 1_389_064),
        FileDef::Link("/usr/bin/sh", "bash"),
        FileDef::File("/usr/bin/coreutils", 0o755, 1_326_928),
        FileDef::Text(
            "/usr/bin/basename",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=basename\n",
        ),
        FileDef::Text(
            "/usr/bin/cat",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=cat\n",
        ),
        FileDef::Text(
            "/usr/bin/chmod",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=chmod\n",
        ),
        FileDef::Text(
            "/usr/bin/chown",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=chown\n",
        ),
        FileDef::Text(
            "/usr/bin/cp",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=cp\n",
        ),
        FileDef::Text(
            "/usr/bin/cut",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=cut\n",
        ),
        FileDef::Text(
            "/usr/bin/date",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=date\n",
        ),
        FileDef::Text(
            "/usr/bin/df",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=df\n",
        ),
        FileDef::Text(
            "/usr/bin/echo",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=echo\n",
        ),
        FileDef::Text(
            "/usr/bin/env",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=env\n",
        ),
        FileDef::Text(
            "/usr/bin/false",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=false\n",
        ),
        FileDef::Text(
            "/usr/bin/head",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=head\n",
        ),
        FileDef::Text(
            "/usr/bin/id",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=id\n",
        ),
        FileDef::Text(
            "/usr/bin/ln",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=ln\n",
        ),
        FileDef::Text(
            "/usr/bin/ls",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=ls\n",
        ),
        FileDef::Text(
            "/usr/bin/mkdir",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=mkdir\n",
        ),
        FileDef::Text(
            "/usr/bin/mv",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=mv\n",
        ),
        FileDef::Text(
            "/usr/bin/nproc",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=nproc\n",
        ),
        FileDef::Text(
            "/usr/bin/printenv",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=printenv\n",
        ),
        FileDef::Text(
            "/usr/bin/pwd",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=pwd\n",
        ),
        FileDef::Text(
            "/usr/bin/rm",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=rm\n",
        ),
        FileDef::Text(
            "/usr/bin/sleep",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=sleep\n",
        ),
        FileDef::Text(
            "/usr/bin/sort",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=sort\n",
        ),
        FileDef::Text(
            "/usr/bin/tail",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=tail\n",
        ),
        FileDef::Text(
            "/usr/bin/touch",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=touch\n",
        ),
        FileDef::Text(
            "/usr/bin/true",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=true\n",
        ),
        FileDef::Text(
            "/usr/bin/uname",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=uname\n",
        ),
        FileDef::Text(
            "/usr/bin/wc",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=wc\n",
        ),
        FileDef::Text(
            "/usr/bin/whoami",
            0o755,
            "#!/usr/bin/coreutils --coreutils-prog-shebang=whoami\n",
        ),
        FileDef::File("/usr/bin/grep", 0o755, 166_000),
        FileDef::File("/usr/bin/sed", 0o755, 118_720),
        FileDef::File("/usr/bin/tar", 0o755, 530_224),
        FileDef::File("/usr/bin/gpg", 0o755, 1_095_048),
        FileDef::File("/usr/bin/curl", 0o755, 247_896),
        FileDef::File("/usr/bin/microdnf", 0o755, 88_224),
        FileDef::File("/usr/bin/rpm", 0o755, 24_880),
        FileDef::File("/usr/bin/getent", 0o755, 35_280),
        FileDef::File("/usr/bin/ldd", 0o755, 5_453),
        FileDef::File("/usr/bin/login", 0o755, 44_488),
        FileDef::File("/usr/bin/su", 0o4755, 57_280),
        FileDef::File("/usr/bin/mount", 0o4755, 47_648),
        FileDef::File("/usr/bin/umount", 0o4755, 35_512),
        FileDef::File("/usr/sbin/ldconfig", 0o755, 1_172_536),
        FileDef::File("/usr/sbin/useradd", 0o755, 142_840),
        FileDef::File("/usr/sbin/groupadd", 0o755, 75_136),
        FileDef::File("/usr/sbin/nologin", 0o755, 15_568),
        FileDef::File("/usr/lib64/ld-linux-x86-64.so.2", 0o755, 858_008),
        FileDef::File("/usr/lib64/libc.so.6", 0o755, 2_552_888),
        FileDef::File("/usr/lib64/libm.so.6", 0o755, 932_152),
        FileDef::File("/usr/lib64/libstdc++.so.6.0.29", 0o755, 2_209_096),
        FileDef::Link("/usr/lib64/libstdc++.so.6", "libstdc++.so.6.0.29"),
        FileDef::File("/usr/lib64/libcrypto.so.3.0.7", 0o755, 4_545_072),
        FileDef::Link("/usr/lib64/libcrypto.so.3", "libcrypto.so.3.0.7"),
        FileDef::File("/usr/lib64/libssl.so.3.0.7", 0o755, 694_216),
        FileDef::Link("/usr/lib64/libssl.so.3", "libssl.so.3.0.7"),
        FileDef::File("/usr/lib64/libglib-2.0.so.0.6800.4", 0o755, 1_272_784),
        FileDef::File("/usr/lib64/libdnf.so.2", 0o755, 2_931_520),
        FileDef::File("/usr/lib64/librpm.so.9.1.3", 0o755, 541_128),
        FileDef::File("/usr/lib64/libsolv.so.1", 0o755, 779_424),
        FileDef::File("/usr/lib64/libsqlite3.so.0.8.6", 0o755, 1_453_744),
        FileDef::File("/usr/lib64/libcurl.so.4.7.0", 0o755, 678_792),
        FileDef::File("/usr/lib64/libgnutls.so.30.37.1", 0o755, 2_017_184),
        FileDef::File("/usr/lib64/libgpgme.so.11.24.1", 0o755, 383_688),
        FileDef::File("/usr/lib/locale/C.utf8/LC_CTYPE", 0o644, 346_132),
        FileDef::Dir("/usr/share/zoneinfo", 0o755),
        FileDef::File("/usr/share/zoneinfo/UTC", 0o644, 114),
        FileDef::Dir("/var/lib/rpm", 0o755),
        FileDef::File("/var/lib/rpm/rpmdb.sqlite", 0o644, 9_502_720),
        FileDef::Dir("/var/lib/dnf", 0o755),
        FileDef::Dir("/var/cache/dnf", 0o755),
        FileDef::File("/usr/lib64/gconv/libCNS.so", 0o755, 10_859_155),
        FileDef::File("/usr/lib64/libgio-2.0.so.0.6800.4", 0o755, 27_147_888),
        FileDef::File("/usr/lib64/ossl-modules/fips.so", 0o755, 13_573_944),
        FileDef::File("/usr/share/zoneinfo/tzdata.zi", 0o644, 5_429_577),
        FileDef::File("/usr/lib64/libdb-5.3.so", 0o755, 5_429_577),
        FileDef::File("/usr/share/i18n/charmaps/UTF-8.gz", 0o644, 4_072_183),
        FileDef::File("/usr/share/licenses/glibc/COPYING.LIB", 0o644, 2_714_788),
        FileDef::File("/usr/libexec/gpg-agent", 0o755, 8_144_370),
    ]],
};

const MYSQL_USER_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tgroupadd --system --gid 999 mysql; \tuseradd --system --uid 999 --gid 999 --home-dir /var/lib/mysql --no-create-home mysql # buildkit";
static MYSQL_USER_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-useradd",
    created_by: MYSQL_USER_CREATED_BY,
    compressed_size: 885,
    files: &[&[
        FileDef::Text("/etc/passwd", 0o644, MYSQL_PASSWD),
        FileDef::Text("/etc/passwd-", 0o644, OL_PASSWD),
        FileDef::Text("/etc/group", 0o644, MYSQL_GROUP),
        FileDef::Text("/etc/group-", 0o644, OL_GROUP),
        FileDef::File("/etc/shadow", 0o0, 448),
        FileDef::File("/etc/shadow-", 0o0, 426),
        FileDef::File("/etc/gshadow", 0o0, 379),
        FileDef::File("/etc/gshadow-", 0o0, 368),
    ]],
};

const MYSQL_GOSU_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tarch=\"$(uname -m)\"; \tcase \"$arch\" in \t\taarch64) gosuArch='arm64' ;; \t\tx86_64) gosuArch='amd64' ;; \t\t*) echo >&2 \"error: unsupported architecture: '$arch'\"; exit 1 ;; \tesac; \tcurl -fL -o /usr/local/bin/gosu.asc \"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch.asc\"; \tcurl -fL -o /usr/local/bin/gosu \"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$gosuArch\"; \texport GNUPGHOME=\"$(mktemp -d)\"; \tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4; \tgpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \trm -rf \"$GNUPGHOME\" /usr/local/bin/gosu.asc; \tchmod +x /usr/local/bin/gosu; \tgosu --version; \tgosu nobody true # buildkit";
static MYSQL_GOSU_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-gosu",
    created_by: MYSQL_GOSU_CREATED_BY,
    compressed_size: 983_002,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::File("/usr/local/bin/gosu", 0o755, 2_252_800),
    ]],
};

const MYSQL_DNF_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tmicrodnf install -y \t\tbzip2 \t\tgzip \t\topenssl \t\txz \t\tzstd \t\tfindutils \t; \tmicrodnf clean all # buildkit";
static MYSQL_DNF_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-microdnf-tools",
    created_by: MYSQL_DNF_CREATED_BY,
    compressed_size: 6_738_263,
    files: &[&[
        FileDef::File("/usr/bin/bzip2", 0o755, 38_192),
        FileDef::File("/usr/bin/gzip", 0o755, 89_752),
        FileDef::File("/usr/bin/openssl", 0o755, 1_010_728),
        FileDef::File("/usr/bin/xz", 0o755, 85_968),
        FileDef::File("/usr/bin/zstd", 0o755, 1_189_360),
        FileDef::File("/usr/bin/find", 0o755, 219_616),
        FileDef::File("/usr/bin/xargs", 0o755, 62_240),
        FileDef::Link("/usr/bin/gunzip", "gzip"),
        FileDef::Link("/usr/bin/unxz", "xz"),
        FileDef::File("/usr/lib64/libzstd.so.1.5.1", 0o755, 757_528),
        FileDef::File("/var/lib/rpm/rpmdb.sqlite", 0o644, 10_092_544),
        FileDef::File("/var/lib/dnf/history.sqlite", 0o644, 143_360),
        FileDef::File("/var/log/dnf.librepo.log", 0o644, 3_412),
        FileDef::File("/var/log/hawkey.log", 0o644, 1_508),
        FileDef::File("/usr/share/doc/openssl/NEWS.md", 0o644, 805_612),
        FileDef::File("/usr/share/licenses/zstd/LICENSE", 0o644, 805_612),
        FileDef::File(
            "/usr/share/locale/de/LC_MESSAGES/findutils.mo",
            0o644,
            402_808,
        ),
    ]],
};

const MYSQL_KEY_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tkey='BCA4 3417 C3B4 85DD 128E C6D4 B7B3 B788 A8D3 785C'; \texport GNUPGHOME=\"$(mktemp -d)\"; \tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys \"$key\"; \tgpg --batch --export --armor \"$key\" > /etc/pki/rpm-gpg/RPM-GPG-KEY-mysql; \trm -rf \"$GNUPGHOME\" # buildkit";
static MYSQL_KEY_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-gpg-key",
    created_by: MYSQL_KEY_CREATED_BY,
    compressed_size: 2_608,
    files: &[&[
        FileDef::Dir("/etc/pki/rpm-gpg", 0o755),
        FileDef::File("/etc/pki/rpm-gpg/RPM-GPG-KEY-mysql", 0o644, 3_146),
    ]],
};

const MYSQL_REPO_CREATED_BY: &str = "RUN /bin/sh -c set -eu; \t{ \t\techo '[mysql8.4-server-minimal]'; \t\techo 'name=MySQL 8.4 Server Minimal'; \t\techo 'enabled=1'; \t\techo 'baseurl=https://repo.mysql.com/yum/mysql-8.4-community/docker/el/9/$basearch/'; \t\techo 'gpgcheck=1'; \t\techo 'gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql'; \t\techo 'module_hotfixes=true'; \t} | tee /etc/yum.repos.d/mysql-community-minimal.repo # buildkit";
static MYSQL_REPO_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-server-repo",
    created_by: MYSQL_REPO_CREATED_BY,
    compressed_size: 334,
    files: &[&[
        FileDef::Dir("/etc/yum.repos.d", 0o755),
        FileDef::Text("/etc/yum.repos.d/mysql-community-minimal.repo", 0o644, "[mysql8.4-server-minimal]\nname=MySQL 8.4 Server Minimal\nenabled=1\nbaseurl=https://repo.mysql.com/yum/mysql-8.4-community/docker/el/9/$basearch/\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql\nmodule_hotfixes=true\n"),
    ]],
};

const MYSQL_SERVER_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tmicrodnf install -y \"mysql-community-server-minimal-$MYSQL_VERSION\"; \tmicrodnf clean all; \tgrep -F 'socket=/var/lib/mysql/mysql.sock' /etc/my.cnf; \tsed -i 's!^socket=.*!socket=/var/run/mysqld/mysqld.sock!' /etc/my.cnf; \tgrep -F 'socket=/var/run/mysqld/mysqld.sock' /etc/my.cnf; \t{ echo '[client]'; echo 'socket=/var/run/mysqld/mysqld.sock'; } >> /etc/my.cnf; \t\t! grep -F '!includedir' /etc/my.cnf; \t{ echo; echo '!includedir /etc/mysql/conf.d/'; } >> /etc/my.cnf; \tmkdir -p /etc/mysql/conf.d; \tmkdir -p /var/lib/mysql /var/run/mysqld; \tchown mysql:mysql /var/lib/mysql /var/run/mysqld; \tchmod 1777 /var/lib/mysql /var/run/mysqld; \t\tmkdir /docker-entrypoint-initdb.d; \t\tmysqld --version; \tmysql --version # buildkit";
static MYSQL_SERVER_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-server",
    created_by: MYSQL_SERVER_CREATED_BY,
    compressed_size: 47_537_753,
    files: &[&[
        FileDef::Text("/etc/my.cnf", 0o644, MY_CNF),
        FileDef::Dir("/etc/my.cnf.d", 0o755),
        FileDef::Dir("/etc/mysql", 0o755),
        FileDef::Dir("/etc/mysql/conf.d", 0o755),
        FileDef::File("/usr/sbin/mysqld", 0o755, 66_017_512),
        FileDef::File("/usr/bin/mysql", 0o755, 7_912_544),
        FileDef::File("/usr/bin/mysqladmin", 0o755, 6_617_784),
        FileDef::File("/usr/bin/mysqldump", 0o755, 6_823_224),
        FileDef::File("/usr/bin/mysqlcheck", 0o755, 6_621_880),
        FileDef::File("/usr/bin/mysqlbinlog", 0o755, 7_396_456),
        FileDef::File("/usr/bin/mysqlimport", 0o755, 6_613_688),
        FileDef::File("/usr/bin/mysqlshow", 0o755, 6_609_592),
        FileDef::File("/usr/bin/mysqlslap", 0o755, 6_670_968),
        FileDef::File("/usr/bin/mysql_tzinfo_to_sql", 0o755, 6_228_600),
        FileDef::File("/usr/bin/mysql_config_editor", 0o755, 6_114_968),
        FileDef::File("/usr/bin/my_print_defaults", 0o755, 6_106_776),
        FileDef::Dir("/usr/lib64/mysql", 0o755),
        FileDef::Dir("/usr/lib64/mysql/plugin", 0o755),
        FileDef::File(
            "/usr/lib64/mysql/plugin/component_validate_password.so",
            0o755,
            1_297_064,
        ),
        FileDef::File(
            "/usr/lib64/mysql/plugin/group_replication.so",
            0o755,
            20_181_024,
        ),
        FileDef::File("/usr/lib64/mysql/plugin/mysql_clone.so", 0o755, 1_520_664),
        FileDef::Dir("/usr/lib64/mysql/private", 0o755),
        FileDef::File(
            "/usr/lib64/mysql/private/libprotobuf-lite.so.24.4.0",
            0o755,
            1_141_224,
        ),
        FileDef::File(
            "/usr/lib64/mysql/private/libprotobuf.so.24.4.0",
            0o755,
            5_896_488,
        ),
        FileDef::File(
            "/usr/lib64/mysql/private/libfido2.so.1.15.0",
            0o755,
            255_432,
        ),
        FileDef::File("/usr/lib64/mysql/private/icudt73l.dat", 0o644, 3_547_216),
        FileDef::Dir("/usr/share/mysql-8.4", 0o755),
        FileDef::File(
            "/usr/share/mysql-8.4/messages_to_clients.txt",
            0o644,
            722_349,
        ),
        FileDef::File("/usr/share/mysql-8.4/english/errmsg.sys", 0o644, 359_836),
        FileDef::Dir("/usr/share/mysql-8.4/charsets", 0o755),
        FileDef::File("/usr/lib64/libaio.so.1.0.1", 0o755, 16_152),
        FileDef::File("/usr/lib64/libnuma.so.1.0.0", 0o755, 54_016),
        FileDef::Dir("/var/lib/mysql", 0o1777),
        FileDef::Dir("/var/lib/mysql-files", 0o750),
        FileDef::Dir("/var/lib/mysql-keyring", 0o750),
        FileDef::Dir("/var/run/mysqld", 0o1777),
        FileDef::Dir("/docker-entrypoint-initdb.d", 0o755),
        FileDef::Dir("/var/log", 0o755),
        FileDef::File("/var/lib/rpm/rpmdb.sqlite", 0o644, 11_616_256),
        FileDef::File("/var/lib/dnf/history.sqlite", 0o644, 184_320),
        FileDef::File("/usr/share/mysql-8.4/charsets/Index.xml", 0o644, 65_332),
        FileDef::File(
            "/usr/lib64/mysql/plugin/component_keyring_file.so",
            0o755,
            653_328,
        ),
        FileDef::File(
            "/usr/share/doc/mysql-community-server-minimal/LICENSE",
            0o644,
            3_266_641,
        ),
    ]],
};

const MYSQL_TOOLS_REPO_CREATED_BY: &str = "RUN /bin/sh -c set -eu; \t{ \t\techo '[mysql-tools-community]'; \t\techo 'name=MySQL Tools Community'; \t\techo 'baseurl=https://repo.mysql.com/yum/mysql-tools-8.4-community/el/9/$basearch/'; \t\techo 'enabled=1'; \t\techo 'gpgcheck=1'; \t\techo 'gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql'; \t\techo 'module_hotfixes=true'; \t} | tee /etc/yum.repos.d/mysql-community-tools.repo # buildkit";
static MYSQL_TOOLS_REPO_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-tools-repo",
    created_by: MYSQL_TOOLS_REPO_CREATED_BY,
    compressed_size: 321,
    files: &[&[
        FileDef::Dir("/etc/yum.repos.d", 0o755),
        FileDef::Text("/etc/yum.repos.d/mysql-community-tools.repo", 0o644, "[mysql-tools-community]\nname=MySQL Tools Community\nbaseurl=https://repo.mysql.com/yum/mysql-tools-8.4-community/el/9/$basearch/\nenabled=1\ngpgcheck=1\ngpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-mysql\nmodule_hotfixes=true\n"),
    ]],
};

const MYSQL_SHELL_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tmicrodnf install -y \"mysql-shell-$MYSQL_SHELL_VERSION\"; \tmicrodnf clean all; \t\tmysqlsh --version # buildkit";
static MYSQL_SHELL_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-shell",
    created_by: MYSQL_SHELL_CREATED_BY,
    compressed_size: 66_603_624,
    files: &[&[
        FileDef::File("/usr/bin/mysqlsh", 0o755, 51_322_664),
        FileDef::Dir("/usr/lib/mysqlsh", 0o755),
        FileDef::File("/usr/lib/mysqlsh/libpython3.12.so.1.0", 0o755, 28_500_000),
        FileDef::File(
            "/usr/lib/mysqlsh/libantlr4-runtime.so.4.10.1",
            0o755,
            1_274_416,
        ),
        FileDef::File("/usr/lib/mysqlsh/libssh.so.4.9.4", 0o755, 560_264),
        FileDef::File("/usr/lib/mysqlsh/libprotobuf.so.24.4.0", 0o755, 5_896_488),
        FileDef::Dir("/usr/lib/mysqlsh/lib/python3.12", 0o755),
        FileDef::File("/usr/lib/mysqlsh/lib/python3.12/os.py", 0o644, 39_786),
        FileDef::Dir("/usr/share/mysqlsh", 0o755),
        FileDef::File("/usr/share/mysqlsh/prompt/prompt_256.json", 0o644, 1_945),
        FileDef::File("/var/lib/rpm/rpmdb.sqlite", 0o644, 11_800_576),
        FileDef::File("/var/lib/dnf/history.sqlite", 0o644, 196_608),
        FileDef::File(
            "/usr/lib/mysqlsh/lib/python3.12/site-packages/oci/__init__.py",
            0o644,
            124_723_909,
        ),
        FileDef::File(
            "/usr/lib/mysqlsh/lib/python3.12/lib-dynload/_ssl.cpython-312-x86_64-linux-gnu.so",
            0o755,
            24_944_781,
        ),
        FileDef::File(
            "/usr/share/mysqlsh/adminapi-metadata/metadata-model-2.2.0.sql",
            0o644,
            4_157_465,
        ),
    ]],
};

static MYSQL_ENTRYPOINT_LAYER: LayerDef = LayerDef {
    key: "mysql-8.4.3-copy-entrypoint",
    created_by: "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
    compressed_size: 1_452,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Text(
            "/usr/local/bin/docker-entrypoint.sh",
            0o775,
            MYSQL_ENTRYPOINT,
        ),
    ]],
};

const BUILDPACK_CURL_CREATED_BY: &str = "/bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \trm -rf /var/lib/apt/lists/*";
/// buildpack-deps:bookworm-curl, scm and the full build toolchain (built with the classic builder).
static BUILDPACK_CURL_LAYER: LayerDef = LayerDef {
    key: "buildpack-deps-bookworm-curl-20241017",
    created_by: BUILDPACK_CURL_CREATED_BY,
    compressed_size: 24_053_088,
    files: &[&[
        FileDef::File("/usr/bin/curl", 0o755, 260_976),
        FileDef::File("/usr/bin/wget", 0o755, 535_936),
        FileDef::File("/usr/bin/gpg", 0o755, 1_223_696),
        FileDef::File("/usr/bin/gpgv", 0o755, 391_216),
        FileDef::File("/usr/bin/sq", 0o755, 12_498_464),
        FileDef::File("/usr/bin/gpg-agent", 0o755, 356_752),
        FileDef::File("/usr/bin/dirmngr", 0o755, 501_544),
        FileDef::File("/usr/bin/openssl", 0o755, 1_005_280),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0", 0o644, 760_880),
        FileDef::Link("/usr/lib/x86_64-linux-gnu/libcurl.so.4", "libcurl.so.4.8.0"),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssl.so.3", 0o644, 696_200),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcrypto.so.3", 0o644, 4_709_536),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libkrb5.so.3.3", 0o644, 823_848),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libldap-2.5.so.0.1.8", 0o644, 362_280),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0.8.6", 0o644, 1_477_624),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libnghttp2.so.14.24.1", 0o644, 182_168),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssh2.so.1.0.1", 0o644, 275_240),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libksba.so.8.14.3", 0o644, 226_648),
        FileDef::Dir("/etc/ssl/certs", 0o755),
        FileDef::File("/etc/ssl/certs/ca-certificates.crt", 0o644, 219_051),
        FileDef::File("/etc/ssl/openssl.cnf", 0o644, 12_332),
        FileDef::Text("/etc/services", 0o644, "# Network services, Internet style\n\ntcpmux\t\t1/tcp\t\t\t\t# TCP port service multiplexer\necho\t\t7/tcp\nftp\t\t21/tcp\nssh\t\t22/tcp\t\t\t\t# SSH Remote Login Protocol\ntelnet\t\t23/tcp\nsmtp\t\t25/tcp\t\tmail\ndomain\t\t53/tcp\t\t\t\t# Domain Name Server\ndomain\t\t53/udp\nhttp\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP\nhttps\t\t443/tcp\t\t\t\t# http protocol over TLS/SSL\nmysql\t\t3306/tcp\npostgresql\t5432/tcp\t\tpostgres\t# PostgreSQL Database\nredis\t\t6379/tcp\n"),
        FileDef::File("/etc/protocols", 0o644, 2_932),
        FileDef::File("/var/lib/dpkg/status", 0o644, 104_566),
        FileDef::File("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", 0o644, 855_648),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgnutls-dane.so.0.4.1", 0o644, 5_704_325),
        FileDef::File("/usr/share/doc/gnupg/NEWS.gz", 0o644, 5_704_325),
        FileDef::File("/usr/share/locale/de/LC_MESSAGES/gnupg2.mo", 0o644, 8_556_488),
        FileDef::File("/var/cache/debconf/templates.dat", 0o644, 5_704_325),
        FileDef::File("/usr/share/man/man1/sq.1.gz", 0o644, 2_852_165),
    ]],
};

const BUILDPACK_SCM_CREATED_BY: &str = "/bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\t\t\tprocps \t; \trm -rf /var/lib/apt/lists/*";
static BUILDPACK_SCM_LAYER: LayerDef = LayerDef {
    key: "buildpack-deps-bookworm-scm-20241017",
    created_by: BUILDPACK_SCM_CREATED_BY,
    compressed_size: 64_393_080,
    files: &[&[
        FileDef::File("/usr/bin/git", 0o755, 4_061_352),
        FileDef::Dir("/usr/lib/git-core", 0o755),
        FileDef::File("/usr/lib/git-core/git-remote-http", 0o755, 1_631_480),
        FileDef::File("/usr/bin/hg", 0o755, 1_810),
        FileDef::File("/usr/bin/svn", 0o755, 328_768),
        FileDef::File("/usr/bin/ssh", 0o755, 1_018_360),
        FileDef::File("/usr/bin/scp", 0o755, 139_200),
        FileDef::File("/usr/bin/ssh-keygen", 0o755, 491_000),
        FileDef::File("/usr/bin/ps", 0o755, 137_680),
        FileDef::File("/usr/bin/top", 0o755, 133_280),
        FileDef::File("/usr/bin/free", 0o755, 27_024),
        FileDef::File("/usr/bin/kill", 0o755, 30_952),
        FileDef::File("/usr/bin/pgrep", 0o755, 35_144),
        FileDef::File("/usr/bin/pkill", 0o755, 35_144),
        FileDef::File("/usr/bin/uptime", 0o755, 14_784),
        FileDef::File("/usr/bin/watch", 0o755, 31_456),
        FileDef::File("/usr/bin/python3.11", 0o755, 6_831_704),
        FileDef::Link("/usr/bin/python3", "python3.11"),
        FileDef::Dir("/usr/lib/python3.11", 0o755),
        FileDef::File("/usr/lib/python3.11/os.py", 0o644, 39_504),
        FileDef::Dir("/usr/lib/python3/dist-packages/mercurial", 0o755),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libsvn_subr-1.so.1.0.0",
            0o644,
            595_240,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libapr-1.so.0.7.2",
            0o644,
            256_168,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libperl.so.5.36.0",
            0o644,
            3_867_112,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libproc2.so.0.0.1",
            0o644,
            104_880,
        ),
        FileDef::File("/var/lib/dpkg/status", 0o644, 212_884),
        FileDef::File("/usr/share/perl/5.36.0/unicore/Name.pl", 0o644, 25_151_156),
        FileDef::File(
            "/usr/lib/python3.11/config-3.11-x86_64-linux-gnu/libpython3.11.a",
            0o644,
            25_151_156,
        ),
        FileDef::File(
            "/usr/lib/python3/dist-packages/mercurial/cext/parsers.cpython-311-x86_64-linux-gnu.so",
            0o755,
            37_726_734,
        ),
        FileDef::File("/usr/lib/git-core/git-http-push", 0o755, 25_151_156),
        FileDef::File("/usr/share/doc/git/RelNotes/2.39.5.txt", 0o644, 12_575_578),
        FileDef::File("/usr/share/locale/de/LC_MESSAGES/git.mo", 0o644, 25_151_156),
        FileDef::File("/usr/share/man/man1/git.1.gz", 0o644, 6_287_791),
    ]],
};

const BUILDPACK_CREATED_BY: &str = "/bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses5-dev \t\tlibncursesw5-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/*";
static BUILDPACK_LAYER: LayerDef = LayerDef {
    key: "buildpack-deps-bookworm-20241017",
    created_by: BUILDPACK_CREATED_BY,
    compressed_size: 211_281_151,
    files: &[&[
        FileDef::File("/usr/bin/gcc-12", 0o755, 1_297_064),
        FileDef::Link("/usr/bin/gcc", "gcc-12"),
        FileDef::File("/usr/bin/g++-12", 0o755, 1_301_160),
        FileDef::Link("/usr/bin/g++", "g++-12"),
        FileDef::Link("/usr/bin/cc", "/etc/alternatives/cc"),
        FileDef::Link("/etc/alternatives/cc", "/usr/bin/gcc"),
        FileDef::File("/usr/bin/make", 0o755, 264_832),
        FileDef::File("/usr/bin/autoconf", 0o755, 25_941),
        FileDef::File("/usr/bin/automake-1.16", 0o755, 258_154),
        FileDef::File("/usr/bin/ld.bfd", 0o755, 1_999_912),
        FileDef::Link("/usr/bin/ld", "ld.bfd"),
        FileDef::File("/usr/bin/as", 0o755, 839_688),
        FileDef::File("/usr/bin/patch", 0o755, 196_112),
        FileDef::File("/usr/bin/unzip", 0o755, 182_744),
        FileDef::File("/usr/bin/xz", 0o755, 84_288),
        FileDef::File("/usr/bin/bzip2", 0o755, 39_144),
        FileDef::File("/usr/bin/file", 0o755, 26_760),
        FileDef::File("/usr/bin/convert-im6.q16", 0o755, 14_528),
        FileDef::File("/usr/bin/dpkg-buildflags", 0o755, 8_894),
        FileDef::File("/usr/bin/pkgconf", 0o755, 43_448),
        FileDef::Dir("/usr/lib/gcc/x86_64-linux-gnu/12", 0o755),
        FileDef::File("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", 0o755, 34_806_072),
        FileDef::File(
            "/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus",
            0o755,
            37_233_880,
        ),
        FileDef::File("/usr/lib/gcc/x86_64-linux-gnu/12/lto1", 0o755, 33_115_608),
        FileDef::File(
            "/usr/lib/gcc/x86_64-linux-gnu/12/libstdc++.a",
            0o644,
            6_590_046,
        ),
        FileDef::Dir("/usr/include", 0o755),
        FileDef::File("/usr/include/stdio.h", 0o644, 31_720),
        FileDef::File("/usr/include/stdlib.h", 0o644, 36_280),
        FileDef::File("/usr/include/zlib.h", 0o644, 97_323),
        FileDef::File("/usr/include/openssl/ssl.h", 0o644, 124_993),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libc.a", 0o644, 6_138_990),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libssl.a", 0o644, 1_213_186),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libcrypto.a", 0o644, 8_945_118),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libMagickCore-6.Q16.so.6.0.0",
            0o644,
            3_203_904,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libglib-2.0.so.0.7400.6",
            0o644,
            1_338_520,
        ),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libpq.so.5.15", 0o644, 345_656),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libmariadb.so.3", 0o644, 442_384),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libisl.so.23.2.0",
            0o644,
            2_217_752,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libbfd-2.40-system.so",
            0o644,
            2_045_584,
        ),
        FileDef::File("/var/lib/dpkg/status", 0o644, 598_112),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libicudata.so.72.1",
            0o644,
            38_911_236,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libgtk-3.so.0.2406.32",
            0o644,
            10_032_167,
        ),
        FileDef::File(
            "/usr/share/doc/gcc-12-base/changelog.Debian.gz",
            0o644,
            37_865_541,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libasan.so.8.0.0",
            0o644,
            50_487_388,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/perl/5.36.0/auto/Encode/JP/JP.so",
            0o644,
            50_487_388,
        ),
        FileDef::File(
            "/usr/share/locale/de/LC_MESSAGES/gcc-12.mo",
            0o644,
            37_865_541,
        ),
        FileDef::File("/usr/share/man/man1/gcc-12.1.gz", 0o644, 37_865_541),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libx265.so.199",
            0o644,
            50_487_388,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libX11.so.6.4.0",
            0o644,
            1_689_025,
        ),
        FileDef::File(
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            0o644,
            955_569,
        ),
        FileDef::File(
            "/usr/share/mime/packages/freedesktop.org.xml",
            0o644,
            25_243_694,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libaom.so.3.6.0",
            0o644,
            50_487_388,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/librsvg-2.so.2.48.0",
            0o644,
            25_243_694,
        ),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libgirepository-1.0.so.1.0.0",
            0o644,
            25_243_699,
        ),
    ]],
};

const PYTHON_DEPS_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibbluetooth-dev \t\ttk-dev \t\tuuid-dev \t; \trm -rf /var/lib/apt/lists/* # buildkit";
static PYTHON_DEPS_LAYER: LayerDef = LayerDef {
    key: "python-3.12.7-runtime-deps",
    created_by: PYTHON_DEPS_CREATED_BY,
    compressed_size: 6_193_552,
    files: &[&[
        FileDef::File("/usr/include/bluetooth/bluetooth.h", 0o644, 9_591),
        FileDef::File(
            "/usr/lib/x86_64-linux-gnu/libbluetooth.so.3.19.8",
            0o644,
            137_368,
        ),
        FileDef::File("/usr/include/tcl8.6/tk.h", 0o644, 91_812),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libtk8.6.so", 0o644, 1_658_248),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libtcl8.6.so", 0o644, 1_762_640),
        FileDef::File("/usr/include/uuid/uuid.h", 0o644, 3_910),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libuuid.a", 0o644, 62_690),
        FileDef::File("/var/lib/dpkg/status", 0o644, 640_003),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libtk8.6.a", 0o644, 3_108_398),
        FileDef::File("/usr/share/tcltk/tk8.6/ttk/ttk.tcl", 0o644, 3_108_398),
        FileDef::File(
            "/usr/share/doc/tk8.6-dev/changelog.Debian.gz",
            0o644,
            2_072_265,
        ),
        FileDef::File("/usr/share/man/man3/Tk_Init.3tk.gz", 0o644, 3_108_398),
        FileDef::File("/usr/include/X11/Xlib.h", 0o644, 3_108_399),
    ]],
};

const PYTHON_BUILD_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \t\twget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; \techo \"$PYTHON_SHA256 *python.tar.xz\" | sha256sum -c -; \twget -O python.tar.xz.asc \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz.asc\"; \tGNUPGHOME=\"$(mktemp -d)\"; export GNUPGHOME; \tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys \"$GPG_KEY\"; \tgpg --batch --verify python.tar.xz.asc python.tar.xz; \tgpgconf --kill all; \trm -rf \"$GNUPGHOME\" python.tar.xz.asc; \tmkdir -p /usr/src/python; \ttar --extract --directory /usr/src/python --strip-components=1 --file python.tar.xz; \trm python.tar.xz; \t\tcd /usr/src/python; \tgnuArch=\"$(dpkg-architecture --query DEB_BUILD_GNU_TYPE)\"; \t./configure \t\t--build=\"$gnuArch\" \t\t--enable-loadable-sqlite-extensions \t\t--enable-optimizations \t\t--enable-option-checking=fatal \t\t--enable-shared \t\t--with-lto \t\t--with-ensurepip \t; \tnproc=\"$(nproc)\"; \tEXTRA_CFLAGS=\"$(dpkg-buildflags --get CFLAGS)\"; \tLDFLAGS=\"$(dpkg-buildflags --get LDFLAGS)\"; \tmake -j \"$nproc\" \t\t\"EXTRA_CFLAGS=${EXTRA_CFLAGS:-}\" \t\t\"LDFLAGS=${LDFLAGS:-}\" \t; \trm python; \tmake -j \"$nproc\" \t\t\"EXTRA_CFLAGS=${EXTRA_CFLAGS:-}\" \t\t\"LDFLAGS=${LDFLAGS:--Wl},-rpath='\\$\\$ORIGIN/../lib'\" \t\tpython \t; \tmake install; \t\tbin=\"$(readlink -ve /usr/local/bin/python3)\"; \tdir=\"$(dirname \"$bin\")\"; \tmkdir -p \"/usr/share/gdb/auto-load/$dir\"; \tcp -vL Tools/gdb/libpython.py \"/usr/share/gdb/auto-load/$bin-gdb.py\"; \t\tcd /; \trm -rf /usr/src/python; \t\tfind /usr/local -depth \t\t\\( \t\t\t\\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \t\t\t-o \\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' -o -name 'libpython*.a' \\) \\) \t\t\\) -exec rm -rf '{}' + \t; \t\tldconfig; \t\texport PYTHONDONTWRITEBYTECODE=1; \tpython3 --version; \tpip3 --version # buildkit";
static PYTHON_BUILD_LAYER: LayerDef = LayerDef {
    key: "python-3.12.7-build",
    created_by: PYTHON_BUILD_CREATED_BY,
    compressed_size: 24_912_803,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::File("/usr/local/bin/python3.12", 0o755, 16_512),
        FileDef::Link("/usr/local/bin/python3", "python3.12"),
        FileDef::File("/usr/local/bin/python3.12-config", 0o755, 3_091),
        FileDef::Link("/usr/local/bin/python3-config", "python3.12-config"),
        FileDef::Text("/usr/local/bin/pip3", 0o755, PIP_SCRIPT),
        FileDef::Text("/usr/local/bin/pip3.12", 0o755, PIP_SCRIPT),
        FileDef::Text("/usr/local/bin/pydoc3.12", 0o755, "#!/usr/local/bin/python3.12\n\nimport pydoc\nif __name__ == '__main__':\n    pydoc.cli()\n"),
        FileDef::Link("/usr/local/bin/pydoc3", "pydoc3.12"),
        FileDef::Text("/usr/local/bin/idle3.12", 0o755, "#!/usr/local/bin/python3.12\n\nfrom idlelib.pyshell import main\nif __name__ == '__main__':\n    main()\n"),
        FileDef::Link("/usr/local/bin/idle3", "idle3.12"),
        FileDef::File("/usr/local/bin/2to3-3.12", 0o755, 95),
        FileDef::Link("/usr/local/bin/2to3", "2to3-3.12"),
        FileDef::File("/usr/local/lib/libpython3.12.so.1.0", 0o755, 26_614_424),
        FileDef::Link("/usr/local/lib/libpython3.12.so", "libpython3.12.so.1.0"),
        FileDef::File("/usr/local/lib/libpython3.so", 0o755, 15_648),
        FileDef::Dir("/usr/local/lib/pkgconfig", 0o755),
        FileDef::Text("/usr/local/lib/pkgconfig/python-3.12.pc", 0o644, "# See: man pkg-config\nprefix=/usr/local\nexec_prefix=${prefix}\nlibdir=${exec_prefix}/lib\nincludedir=${prefix}/include\n\nName: Python\nDescription: Build a C extension for Python\nRequires:\nVersion: 3.12\nLibs.private: -ldl \nLibs:\nCflags: -I${includedir}/python3.12\n"),
        FileDef::Link("/usr/local/lib/pkgconfig/python3.pc", "python-3.12.pc"),
        FileDef::Dir("/usr/local/include/python3.12", 0o755),
        FileDef::File("/usr/local/include/python3.12/Python.h", 0o644, 2_844),
        FileDef::File("/usr/local/include/python3.12/pyconfig.h", 0o644, 57_361),
        FileDef::Dir("/usr/local/lib/python3.12", 0o755),
        FileDef::File("/usr/local/lib/python3.12/os.py", 0o644, 39_786),
        FileDef::File("/usr/local/lib/python3.12/site.py", 0o644, 22_997),
        FileDef::File("/usr/local/lib/python3.12/subprocess.py", 0o644, 88_686),
        FileDef::File("/usr/local/lib/python3.12/typing.py", 0o644, 116_952),
        FileDef::File("/usr/local/lib/python3.12/pathlib.py", 0o644, 50_164),
        FileDef::File("/usr/local/lib/python3.12/json/__init__.py", 0o644, 14_020),
        FileDef::File("/usr/local/lib/python3.12/asyncio/__init__.py", 0o644, 1_220),
        FileDef::Dir("/usr/local/lib/python3.12/encodings", 0o755),
        FileDef::File("/usr/local/lib/python3.12/encodings/utf_8.py", 0o644, 1_005),
        FileDef::Dir("/usr/local/lib/python3.12/lib-dynload", 0o755),
        FileDef::File("/usr/local/lib/python3.12/lib-dynload/_ssl.cpython-312-x86_64-linux-gnu.so", 0o755, 677_160),
        FileDef::File("/usr/local/lib/python3.12/lib-dynload/_sqlite3.cpython-312-x86_64-linux-gnu.so", 0o755, 290_168),
        FileDef::File("/usr/local/lib/python3.12/lib-dynload/_tkinter.cpython-312-x86_64-linux-gnu.so", 0o755, 208_912),
        FileDef::Dir("/usr/local/lib/python3.12/site-packages", 0o755),
        FileDef::Text("/usr/local/lib/python3.12/site-packages/README.txt", 0o644, "This directory exists so that 3rd party packages can be installed\nhere.  Read the source for site.py for more details.\n"),
        FileDef::Dir("/usr/local/lib/python3.12/site-packages/pip", 0o755),
        FileDef::File("/usr/local/lib/python3.12/site-packages/pip/__init__.py", 0o644, 357),
        FileDef::Dir("/usr/local/lib/python3.12/site-packages/pip-24.2.dist-info", 0o755),
        FileDef::File("/usr/local/lib/python3.12/site-packages/pip-24.2.dist-info/METADATA", 0o644, 3_624),
        FileDef::Dir("/usr/share/gdb/auto-load/usr/local/bin", 0o755),
        FileDef::File("/usr/share/gdb/auto-load/usr/local/bin/python3.12-gdb.py", 0o644, 77_078),
        FileDef::File("/etc/ld.so.cache", 0o644, 63_815),
        FileDef::File("/usr/local/lib/python3.12/site-packages/pip/_vendor/rich/_emoji_codes.py", 0o644, 3_833_435),
        FileDef::File("/usr/local/lib/python3.12/config-3.12-x86_64-linux-gnu/Makefile", 0o644, 1_916_717),
        FileDef::File("/usr/local/lib/python3.12/pydoc_data/topics.py", 0o644, 5_750_153),
        FileDef::File("/usr/local/lib/python3.12/ensurepip/_bundled/pip-24.2-py3-none-any.whl", 0o644, 3_450_092),
        FileDef::File("/usr/local/lib/python3.12/lib-dynload/_decimal.cpython-312-x86_64-linux-gnu.so", 0o755, 3_833_435),
        FileDef::File("/usr/local/lib/python3.12/idlelib/Icons/idle_256.png", 0o644, 5_750_153),
        FileDef::File("/usr/local/lib/python3.12/tkinter/__init__.py", 0o644, 5_750_153),
        FileDef::File("/usr/local/lib/python3.12/email/_header_value_parser.py", 0o644, 5_750_153),
        FileDef::File("/usr/local/lib/python3.12/lib-dynload/unicodedata.cpython-312-x86_64-linux-gnu.so", 0o755, 5_750_161),
    ]],
};

const PYTHON_LINKS_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst=\"$(echo \"$src\" | tr -d 3)\"; \t\t[ -s \"/usr/local/bin/$src\" ]; \t\t[ ! -e \"/usr/local/bin/$dst\" ]; \t\tln -svT \"$src\" \"/usr/local/bin/$dst\"; \tdone # buildkit";
static PYTHON_LINKS_LAYER: LayerDef = LayerDef {
    key: "python-3.12.7-symlinks",
    created_by: PYTHON_LINKS_CREATED_BY,
    compressed_size: 249,
    files: &[&[
        FileDef::Link("/usr/local/bin/idle", "idle3"),
        FileDef::Link("/usr/local/bin/pip", "pip3"),
        FileDef::Link("/usr/local/bin/pydoc", "pydoc3"),
        FileDef::Link("/usr/local/bin/python", "python3"),
        FileDef::Link("/usr/local/bin/python-config", "python3-config"),
    ]],
};

const TRUSTY_PASSWD: &str = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nbin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\nsync:x:4:65534:sync:/bin:/bin/sync\ngames:x:5:60:games:/usr/games:/usr/sbin/nologin\nman:x:6:12:man:/var/cache/man:/usr/sbin/nologin\nlp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin\nmail:x:8:8:mail:/var/mail:/usr/sbin/nologin\nnews:x:9:9:news:/var/spool/news:/usr/sbin/nologin\nuucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin\nproxy:x:13:13:proxy:/bin:/usr/sbin/nologin\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\nbackup:x:34:34:backup:/var/backups:/usr/sbin/nologin\nlist:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin\nirc:x:39:39:ircd:/var/run/ircd:/usr/sbin/nologin\ngnats:x:41:41:Gnats Bug-Reporting System (admin):/var/lib/gnats:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nlibuuid:x:100:101::/var/lib/libuuid:\nsyslog:x:101:104::/home/syslog:/bin/false\n";

const TRUSTY_GROUP: &str = "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:syslog\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nnews:x:9:\nuucp:x:10:\nman:x:12:\nproxy:x:13:\nkmem:x:15:\ndialout:x:20:\nfax:x:21:\nvoice:x:22:\ncdrom:x:24:\nfloppy:x:25:\ntape:x:26:\nsudo:x:27:\naudio:x:29:\ndip:x:30:\nwww-data:x:33:\nbackup:x:34:\noperator:x:37:\nlist:x:38:\nirc:x:39:\nsrc:x:40:\ngnats:x:41:\nshadow:x:42:\nutmp:x:43:\nvideo:x:44:\nsasl:x:45:\nplugdev:x:46:\nstaff:x:50:\ngames:x:60:\nusers:x:100:\nnogroup:x:65534:\nlibuuid:x:101:\nnetdev:x:102:\ncrontab:x:103:\nsyslog:x:104:\n";

const TRUSTY_OS_RELEASE: &str = "NAME=\"Ubuntu\"\nVERSION=\"14.04.1 LTS, Trusty Tahr\"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 14.04.1 LTS\"\nVERSION_ID=\"14.04\"\nHOME_URL=\"http://www.ubuntu.com/\"\nSUPPORT_URL=\"http://help.ubuntu.com/\"\nBUG_REPORT_URL=\"http://bugs.launchpad.net/ubuntu/\"\n";

/// ubuntu:14.04 as progrium/stress was built on it (2014): no merged /usr yet, so the
/// core tools live in /bin. Abridged to the files students reach for.
static TRUSTY_LAYER: LayerDef = LayerDef {
    key: "ubuntu-14.04.1-trusty-amd64",
    created_by: "/bin/sh -c #(nop) ADD file:8f997234193c2f5b8e7c2a1f2b2e5f7e2c1d3b0a5d6c7e8f9a0b1c2d3e4f5a6b in /",
    compressed_size: 9_862_144,
    files: &[&[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/bash", 0o755, 1_021_112),
        FileDef::File("/bin/cat", 0o755, 47_904),
        FileDef::File("/bin/dash", 0o755, 121_272),
        FileDef::File("/bin/dd", 0o755, 60_160),
        FileDef::File("/bin/df", 0o755, 97_928),
        FileDef::File("/bin/echo", 0o755, 31_776),
        FileDef::File("/bin/grep", 0o755, 191_952),
        FileDef::File("/bin/hostname", 0o755, 14_736),
        FileDef::File("/bin/kill", 0o755, 18_848),
        FileDef::File("/bin/ls", 0o755, 110_080),
        FileDef::File("/bin/mount", 0o4755, 94_792),
        FileDef::File("/bin/ps", 0o755, 93_232),
        FileDef::File("/bin/pwd", 0o755, 31_680),
        FileDef::File("/bin/readlink", 0o755, 39_680),
        FileDef::Link("/bin/sh", "dash"),
        FileDef::File("/bin/sleep", 0o755, 31_776),
        FileDef::File("/bin/uname", 0o755, 31_744),
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Text("/etc/debian_version", 0o644, "jessie/sid\n"),
        FileDef::Text("/etc/group", 0o644, TRUSTY_GROUP),
        FileDef::Text("/etc/hostname", 0o644, "localhost\n"),
        FileDef::Text("/etc/issue", 0o644, "Ubuntu 14.04.1 LTS \\n \\l\n\n"),
        FileDef::Text("/etc/lsb-release", 0o644, "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=14.04\nDISTRIB_CODENAME=trusty\nDISTRIB_DESCRIPTION=\"Ubuntu 14.04.1 LTS\"\n"),
        FileDef::Link("/etc/mtab", "/proc/mounts"),
        FileDef::Text("/etc/os-release", 0o644, TRUSTY_OS_RELEASE),
        FileDef::Text("/etc/passwd", 0o644, TRUSTY_PASSWD),
        FileDef::Dir("/home", 0o755),
        FileDef::Dir("/lib/x86_64-linux-gnu", 0o755),
        FileDef::File("/lib/x86_64-linux-gnu/libc-2.19.so", 0o755, 1_845_024),
        FileDef::Link("/lib/x86_64-linux-gnu/libc.so.6", "libc-2.19.so"),
        FileDef::File("/lib/x86_64-linux-gnu/libm-2.19.so", 0o644, 1_071_552),
        FileDef::Link("/lib/x86_64-linux-gnu/libm.so.6", "libm-2.19.so"),
        FileDef::File("/lib/x86_64-linux-gnu/libprocps.so.3.0.0", 0o644, 68_192),
        FileDef::File("/lib/x86_64-linux-gnu/libtinfo.so.5.9", 0o644, 167_096),
        FileDef::File("/lib/x86_64-linux-gnu/ld-2.19.so", 0o755, 149_120),
        FileDef::Dir("/lib64", 0o755),
        FileDef::Link("/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-2.19.so"),
        FileDef::Dir("/proc", 0o555),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/sbin", 0o755),
        FileDef::Dir("/sys", 0o555),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::File("/usr/bin/env", 0o755, 27_232),
        FileDef::File("/usr/bin/free", 0o755, 14_736),
        FileDef::File("/usr/bin/head", 0o755, 43_840),
        FileDef::File("/usr/bin/id", 0o755, 35_552),
        FileDef::File("/usr/bin/nproc", 0o755, 31_680),
        FileDef::File("/usr/bin/perl", 0o755, 1_863_504),
        FileDef::File("/usr/bin/sort", 0o755, 110_000),
        FileDef::File("/usr/bin/tail", 0o755, 64_448),
        FileDef::File("/usr/bin/top", 0o755, 97_496),
        FileDef::File("/usr/bin/tr", 0o755, 47_936),
        FileDef::File("/usr/bin/uniq", 0o755, 43_808),
        FileDef::File("/usr/bin/wc", 0o755, 43_840),
        FileDef::File("/usr/bin/yes", 0o755, 31_712),
        FileDef::File("/usr/bin/cut", 0o755, 47_968),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libdb-5.3.so", 0o644, 1_685_928),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libgnutls.so.26.22.6", 0o644, 749_408),
        FileDef::File("/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.19", 0o644, 979_056),
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::Dir("/var/lib/dpkg", 0o755),
        FileDef::File("/var/lib/dpkg/status", 0o644, 246_371),
        FileDef::Dir("/var/tmp", 0o1777),
    ]],
};

static TRUSTY_UNIVERSE_LAYER: LayerDef = LayerDef {
    key: "ubuntu-14.04.1-trusty-universe",
    created_by: "/bin/sh -c sed -i 's/^#\\s*\\(deb.*universe\\)$/\\1/g' /etc/apt/sources.list",
    compressed_size: 1_895,
    files: &[&[FileDef::Text(
        "/etc/apt/sources.list",
        0o644,
        "deb http://archive.ubuntu.com/ubuntu/ trusty main restricted\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty main restricted\ndeb http://archive.ubuntu.com/ubuntu/ trusty-updates main restricted\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty-updates main restricted\ndeb http://archive.ubuntu.com/ubuntu/ trusty universe\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty universe\ndeb http://archive.ubuntu.com/ubuntu/ trusty-updates universe\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty-updates universe\ndeb http://archive.ubuntu.com/ubuntu/ trusty-security main restricted\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty-security main restricted\ndeb http://archive.ubuntu.com/ubuntu/ trusty-security universe\ndeb-src http://archive.ubuntu.com/ubuntu/ trusty-security universe\n",
    )]],
};

/// `apt-get update && apt-get install -y stress`: the binary, its docs, and the package
/// lists `apt-get update` left behind (the image never cleaned them).
static STRESS_LAYER: LayerDef = LayerDef {
    key: "progrium-stress-apt",
    created_by: "/bin/sh -c apt-get update && apt-get install -y stress",
    compressed_size: 6_084_221,
    files: &[&[
        FileDef::File("/usr/bin/stress", 0o755, 22_904),
        FileDef::Dir("/usr/share/doc/stress", 0o755),
        FileDef::File("/usr/share/doc/stress/copyright", 0o644, 1_114),
        FileDef::File("/usr/share/doc/stress/changelog.Debian.gz", 0o644, 1_382),
        FileDef::File("/usr/share/man/man1/stress.1.gz", 0o644, 1_546),
        FileDef::File("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_trusty_main_binary-amd64_Packages", 0o644, 6_845_218),
        FileDef::File("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_trusty_universe_binary-amd64_Packages", 0o644, 31_104_226),
        FileDef::File("/var/lib/apt/lists/archive.ubuntu.com_ubuntu_dists_trusty_Release", 0o644, 58_512),
        FileDef::File("/var/lib/dpkg/info/stress.list", 0o644, 208),
        FileDef::File("/var/lib/dpkg/info/stress.md5sums", 0o644, 289),
    ]],
};

/// The images the simulated Docker Hub serves.
pub static IMAGES: &[ImageDef] = &[
    ImageDef {
        repository: "library/busybox",
        tags: &["latest", "1.37", "1.37.0", "stable"],
        created: "2024-09-26T21:31:42Z",
        config: ConfigDef {
            cmd: Some(&["sh"]),
            entrypoint: None,
            env: &[PATH_ENV],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&BUSYBOX_LAYER],
        history: &[
            HistoryDef {
                created: "2024-09-26T21:31:42Z",
                created_by: "BusyBox 1.37.0 (glibc), Debian 12",
                empty_layer: false,
                comment: "",
            },
            HistoryDef { created: "2024-09-26T21:31:42Z", created_by: "CMD [\"sh\"]", empty_layer: true, comment: "" },
        ],
    },
    ImageDef {
        repository: "library/alpine",
        tags: &["latest", "3.20", "3.20.3", "3"],
        created: "2024-09-06T12:05:36Z",
        config: ConfigDef {
            cmd: Some(&["/bin/sh"]),
            entrypoint: None,
            env: &[PATH_ENV],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&ALPINE_LAYER],
        history: &[
            HistoryDef { created: "2024-09-06T12:05:36Z", created_by: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T12:05:36Z", created_by: "CMD [\"/bin/sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
    ImageDef {
        repository: "library/ubuntu",
        tags: &["latest", "24.04", "noble"],
        created: "2024-10-16T09:25:57Z",
        config: ConfigDef {
            cmd: Some(&["/bin/bash"]),
            entrypoint: None,
            env: &[PATH_ENV],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[("org.opencontainers.image.ref.name", "ubuntu"), ("org.opencontainers.image.version", "24.04")],
            volumes: &[],
        },
        layers: &[&UBUNTU_LAYER],
        history: &[
            HistoryDef { created: "2024-10-16T09:25:54Z", created_by: "/bin/sh -c #(nop)  ARG RELEASE", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-16T09:25:54Z", created_by: "/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-16T09:25:54Z", created_by: "/bin/sh -c #(nop)  LABEL org.opencontainers.image.ref.name=ubuntu", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-16T09:25:55Z", created_by: "/bin/sh -c #(nop)  LABEL org.opencontainers.image.version=24.04", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-16T09:25:57Z", created_by: "/bin/sh -c #(nop) ADD file:a3272496fda5a8d021b94dccaa6baa685ded51e9d23edb05f0b30978a83c9fc2 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-16T09:25:57Z", created_by: "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]", empty_layer: true, comment: "" },
        ],
    },
    ImageDef {
        repository: "library/debian",
        tags: &["latest", "bookworm", "12", "12.7", "bookworm-20241016"],
        created: "2024-10-17T00:20:17Z",
        config: ConfigDef {
            cmd: Some(&["bash"]),
            entrypoint: None,
            env: &[PATH_ENV],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&DEBIAN_LAYER],
        history: &[
            HistoryDef { created: "2024-10-17T00:20:17Z", created_by: "/bin/sh -c #(nop) ADD file:b4987bca8c4c4c640d6b71dcccfd7172b44771e0f851a47d05c00c2bdcd204f6 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-17T00:20:17Z", created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true, comment: "" },
        ],
    },
    ImageDef {
        repository: "library/debian",
        tags: &["bookworm-slim", "12-slim", "12.7-slim", "bookworm-20241016-slim"],
        created: "2024-10-17T00:20:30Z",
        config: ConfigDef {
            cmd: Some(&["bash"]),
            entrypoint: None,
            env: &[PATH_ENV],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&DEBIAN_SLIM_LAYER],
        history: &[
            HistoryDef { created: "2024-10-17T00:20:29Z", created_by: "/bin/sh -c #(nop) ADD file:90b9dd8f12120e8b2cd3ece45fcbe8af67e40565e2032a40f64bd921c43e2ce7 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-17T00:20:30Z", created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true, comment: "" },
        ],
    },
    ImageDef {
        repository: "library/nginx",
        tags: &["latest", "1.27", "1.27.2", "mainline", "1", "bookworm", "1.27.2-bookworm"],
        created: "2024-10-02T17:55:35Z",
        config: ConfigDef {
            cmd: Some(&["nginx", "-g", "daemon off;"]),
            entrypoint: Some(&["/docker-entrypoint.sh"]),
            env: &[PATH_ENV, "NGINX_VERSION=1.27.2", "NJS_VERSION=0.8.6", "NJS_RELEASE=1~bookworm", "PKG_RELEASE=1~bookworm", "DYNPKG_RELEASE=1~bookworm"],
            exposed_ports: &["80/tcp"],
            working_dir: "",
            user: "",
            stop_signal: Some("SIGQUIT"),
            labels: &[("maintainer", "NGINX Docker Maintainers <docker-maint@nginx.com>")],
            volumes: &[],
        },
        layers: &[&DEBIAN_SLIM_LAYER, &NGINX_RUN_LAYER, &NGINX_ENTRYPOINT_LAYER, &NGINX_10_LAYER, &NGINX_15_LAYER, &NGINX_20_LAYER, &NGINX_30_LAYER],
        history: &[
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "/bin/sh -c #(nop) ADD file:90b9dd8f12120e8b2cd3ece45fcbe8af67e40565e2032a40f64bd921c43e2ce7 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "LABEL maintainer=NGINX Docker Maintainers <docker-maint@nginx.com>", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENV NGINX_VERSION=1.27.2", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENV NJS_VERSION=0.8.6", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENV NJS_RELEASE=1~bookworm", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENV PKG_RELEASE=1~bookworm", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENV DYNPKG_RELEASE=1~bookworm", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: NGINX_RUN_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "COPY docker-entrypoint.sh / # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "COPY 10-listen-on-ipv6-by-default.sh /docker-entrypoint.d # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "COPY 15-local-resolvers.envsh /docker-entrypoint.d # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "COPY 20-envsubst-on-templates.sh /docker-entrypoint.d # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "COPY 30-tune-worker-processes.sh /docker-entrypoint.d # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "ENTRYPOINT [\"/docker-entrypoint.sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "EXPOSE map[80/tcp:{}]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "STOPSIGNAL SIGQUIT", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-02T17:55:35Z", created_by: "CMD [\"nginx\" \"-g\" \"daemon off;\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
    ImageDef {
        repository: "library/redis",
        tags: &["latest", "7.4", "7.4.1", "7", "bookworm", "7.4.1-bookworm"],
        created: "2024-10-04T09:56:40Z",
        config: ConfigDef {
            cmd: Some(&["redis-server"]),
            entrypoint: Some(&["docker-entrypoint.sh"]),
            env: &[PATH_ENV, "GOSU_VERSION=1.17", "REDIS_VERSION=7.4.1", "REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-7.4.1.tar.gz", "REDIS_DOWNLOAD_SHA=bc34b878eb89421bbfca6fa78752343bf37af312a09eb0fae47c9575977dfaa2"],
            exposed_ports: &["6379/tcp"],
            working_dir: "/data",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &["/data"],
        },
        layers: &[&DEBIAN_SLIM_LAYER, &REDIS_USER_LAYER, &REDIS_TZDATA_LAYER, &REDIS_GOSU_LAYER, &REDIS_BUILD_LAYER, &REDIS_DATA_LAYER, &EMPTY_LAYER, &REDIS_ENTRYPOINT_LAYER],
        history: &[
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "/bin/sh -c #(nop) ADD file:90b9dd8f12120e8b2cd3ece45fcbe8af67e40565e2032a40f64bd921c43e2ce7 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "RUN /bin/sh -c set -eux; \tgroupadd -r -g 999 redis; \tuseradd -r -g redis -u 999 redis # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: REDIS_TZDATA_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "ENV GOSU_VERSION=1.17", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: REDIS_GOSU_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "ENV REDIS_VERSION=7.4.1", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "ENV REDIS_DOWNLOAD_URL=http://download.redis.io/releases/redis-7.4.1.tar.gz", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "ENV REDIS_DOWNLOAD_SHA=bc34b878eb89421bbfca6fa78752343bf37af312a09eb0fae47c9575977dfaa2", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: REDIS_BUILD_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "RUN /bin/sh -c mkdir /data && chown redis:redis /data # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "VOLUME [/data]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "WORKDIR /data", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "ENTRYPOINT [\"docker-entrypoint.sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "EXPOSE map[6379/tcp:{}]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-04T09:56:40Z", created_by: "CMD [\"redis-server\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
    ImageDef {
        repository: "library/mysql",
        tags: &["latest", "8.4", "8.4.3", "lts", "8.4-oracle", "8.4.3-oracle"],
        created: "2024-10-14T22:21:37Z",
        config: ConfigDef {
            cmd: Some(&["mysqld"]),
            entrypoint: Some(&["docker-entrypoint.sh"]),
            env: &[PATH_ENV, "GOSU_VERSION=1.17", "MYSQL_MAJOR=8.4", "MYSQL_VERSION=8.4.3-1.el9", "MYSQL_SHELL_VERSION=8.4.3-1.el9"],
            exposed_ports: &["3306/tcp", "33060/tcp"],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &["/var/lib/mysql"],
        },
        layers: &[&ORACLELINUX_LAYER, &MYSQL_USER_LAYER, &MYSQL_GOSU_LAYER, &MYSQL_DNF_LAYER, &MYSQL_KEY_LAYER, &MYSQL_REPO_LAYER, &MYSQL_SERVER_LAYER, &MYSQL_TOOLS_REPO_LAYER, &MYSQL_SHELL_LAYER, &MYSQL_ENTRYPOINT_LAYER],
        history: &[
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ADD oraclelinux-9-slim-amd64-rootfs.tar.xz / # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "CMD [\"/bin/bash\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_USER_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ENV GOSU_VERSION=1.17", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_GOSU_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_DNF_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_KEY_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ENV MYSQL_MAJOR=8.4", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ENV MYSQL_VERSION=8.4.3-1.el9", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_REPO_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_SERVER_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_TOOLS_REPO_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ENV MYSQL_SHELL_VERSION=8.4.3-1.el9", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: MYSQL_SHELL_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "VOLUME [/var/lib/mysql]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "ENTRYPOINT [\"docker-entrypoint.sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "EXPOSE map[3306/tcp:{} 33060/tcp:{}]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-14T22:21:37Z", created_by: "CMD [\"mysqld\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
    ImageDef {
        repository: "library/python",
        tags: &["latest", "3.12", "3.12.7", "3.12.7-bookworm", "3.12-bookworm"],
        created: "2024-10-18T23:23:40Z",
        config: ConfigDef {
            cmd: Some(&["python3"]),
            entrypoint: None,
            env: &["PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305", "PYTHON_VERSION=3.12.7", "PYTHON_SHA256=24887b92e2afd4a2ac602419ad4b596372f67ac9b077190f459aba390faf5550"],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&DEBIAN_LAYER, &BUILDPACK_CURL_LAYER, &BUILDPACK_SCM_LAYER, &BUILDPACK_LAYER, &PYTHON_DEPS_LAYER, &PYTHON_BUILD_LAYER, &PYTHON_LINKS_LAYER],
        history: &[
            HistoryDef { created: "2024-10-17T00:20:17Z", created_by: "/bin/sh -c #(nop) ADD file:b4987bca8c4c4c640d6b71dcccfd7172b44771e0f851a47d05c00c2bdcd204f6 in / ", empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-17T00:20:17Z", created_by: "/bin/sh -c #(nop)  CMD [\"bash\"]", empty_layer: true, comment: "" },
            HistoryDef { created: "2024-10-17T01:03:12Z", created_by: BUILDPACK_CURL_CREATED_BY, empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-17T01:03:30Z", created_by: BUILDPACK_SCM_CREATED_BY, empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-17T01:04:20Z", created_by: BUILDPACK_CREATED_BY, empty_layer: false, comment: "" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "ENV LANG=C.UTF-8", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: PYTHON_DEPS_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "ENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "ENV PYTHON_VERSION=3.12.7", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "ENV PYTHON_SHA256=24887b92e2afd4a2ac602419ad4b596372f67ac9b077190f459aba390faf5550", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: PYTHON_BUILD_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: PYTHON_LINKS_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-10-18T23:23:40Z", created_by: "CMD [\"python3\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
    ImageDef {
        repository: "progrium/stress",
        tags: &["latest"],
        created: "2014-08-04T22:51:19Z",
        config: ConfigDef {
            cmd: None,
            entrypoint: Some(&["/usr/bin/stress", "--verbose"]),
            env: &["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            exposed_ports: &[],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&TRUSTY_LAYER, &TRUSTY_UNIVERSE_LAYER, &STRESS_LAYER],
        history: &[
            HistoryDef { created: "2014-07-22T22:43:02Z", created_by: "/bin/sh -c #(nop) ADD file:8f997234193c2f5b8e7c2a1f2b2e5f7e2c1d3b0a5d6c7e8f9a0b1c2d3e4f5a6b in /", empty_layer: false, comment: "" },
            HistoryDef { created: "2014-07-22T22:43:05Z", created_by: "/bin/sh -c sed -i 's/^#\\s*\\(deb.*universe\\)$/\\1/g' /etc/apt/sources.list", empty_layer: false, comment: "" },
            HistoryDef { created: "2014-07-22T22:43:06Z", created_by: "/bin/sh -c #(nop) CMD [/bin/bash]", empty_layer: true, comment: "" },
            HistoryDef { created: "2014-08-04T22:51:14Z", created_by: "/bin/sh -c apt-get update && apt-get install -y stress", empty_layer: false, comment: "" },
            HistoryDef { created: "2014-08-04T22:51:18Z", created_by: "/bin/sh -c #(nop) ENTRYPOINT [/usr/bin/stress --verbose]", empty_layer: true, comment: "" },
            HistoryDef { created: "2014-08-04T22:51:19Z", created_by: "/bin/sh -c #(nop) CMD []", empty_layer: true, comment: "" },
        ],
    },
    ImageDef {
        repository: "kodekloud/simple-webapp-mysql",
        tags: &["latest"],
        created: "2018-10-18T12:03:22Z",
        config: ConfigDef {
            cmd: Some(&["/bin/sh", "-c", "python /opt/webapp-mysql/app.py"]),
            entrypoint: None,
            env: &["PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "GPG_KEY=0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D", "PYTHON_VERSION=3.7.0", "PYTHON_PIP_VERSION=18.1"],
            exposed_ports: &["8080/tcp"],
            working_dir: "/opt/webapp-mysql",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &[],
        },
        layers: &[&ALPINE38_LAYER, &PY37_CERTS_LAYER, &PY37_BUILD_LAYER, &PY37_LINKS_LAYER, &PY37_PIP_LAYER, &WEBAPP_REQS_LAYER, &WEBAPP_WORKDIR_LAYER, &WEBAPP_PIP_LAYER, &WEBAPP_APP_LAYER],
        history: &[
            HistoryDef { created: "2018-09-11T22:19:50Z", created_by: ALPINE38_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-09-11T22:19:50Z", created_by: "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-09-12T00:12:02Z", created_by: "/bin/sh -c #(nop)  ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-09-12T00:12:02Z", created_by: "/bin/sh -c #(nop)  ENV LANG=C.UTF-8", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-09-12T00:12:04Z", created_by: PY37_CERTS_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-09-12T00:12:04Z", created_by: "/bin/sh -c #(nop)  ENV GPG_KEY=0D96DF4D4110E5C43FBFB17F2D347EA6AA65421D", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-09-12T00:12:04Z", created_by: "/bin/sh -c #(nop)  ENV PYTHON_VERSION=3.7.0", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-09-12T00:17:33Z", created_by: PY37_BUILD_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-09-12T00:17:34Z", created_by: PY37_LINKS_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-16T22:04:11Z", created_by: "/bin/sh -c #(nop)  ENV PYTHON_PIP_VERSION=18.1", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-10-16T22:04:17Z", created_by: PY37_PIP_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-16T22:04:17Z", created_by: "/bin/sh -c #(nop)  CMD [\"python3\"]", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-10-18T12:02:41Z", created_by: WEBAPP_REQS_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-18T12:02:42Z", created_by: WEBAPP_WORKDIR_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-18T12:03:20Z", created_by: WEBAPP_PIP_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-18T12:03:21Z", created_by: WEBAPP_APP_LAYER.created_by, empty_layer: false, comment: "" },
            HistoryDef { created: "2018-10-18T12:03:21Z", created_by: "/bin/sh -c #(nop)  EXPOSE 8080", empty_layer: true, comment: "" },
            HistoryDef { created: "2018-10-18T12:03:22Z", created_by: "/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"python /opt/webapp-mysql/app.py\"]", empty_layer: true, comment: "" },
        ],
    },
    // registry:2 (distribution 2.8.3 on alpine 3.20): the private registry of the seeds.
    ImageDef {
        repository: "library/registry",
        tags: &["2", "2.8", "2.8.3", "latest"],
        created: "2024-09-06T21:45:36Z",
        config: ConfigDef {
            cmd: Some(&["/etc/docker/registry/config.yml"]),
            entrypoint: Some(&["/entrypoint.sh"]),
            env: &[PATH_ENV],
            exposed_ports: &["5000/tcp"],
            working_dir: "",
            user: "",
            stop_signal: None,
            labels: &[],
            volumes: &["/var/lib/registry"],
        },
        layers: &[&ALPINE_LAYER, &REGISTRY_CA_LAYER, &REGISTRY_BIN_LAYER, &REGISTRY_CONFIG_LAYER, &REGISTRY_ENTRYPOINT_LAYER],
        history: &[
            HistoryDef { created: "2024-09-06T12:05:36Z", created_by: "ADD alpine-minirootfs-3.20.3-x86_64.tar.gz / # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T12:05:36Z", created_by: "CMD [\"/bin/sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: REGISTRY_BIN_CREATED_BY, empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "COPY ./config-example.yml /etc/docker/registry/config.yml # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "VOLUME [/var/lib/registry]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "EXPOSE map[5000/tcp:{}]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "COPY docker-entrypoint.sh /entrypoint.sh # buildkit", empty_layer: false, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "ENTRYPOINT [\"/entrypoint.sh\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
            HistoryDef { created: "2024-09-06T21:45:36Z", created_by: "CMD [\"/etc/docker/registry/config.yml\"]", empty_layer: true, comment: "buildkit.dockerfile.v0" },
        ],
    },
];

/// Finds an image by Docker Hub repository path and tag.
pub fn find(repository: &str, tag: &str) -> Option<&'static ImageDef> {
    IMAGES
        .iter()
        .find(|i| i.repository == repository && i.tags.contains(&tag))
}

/// Whether the repository exists at all (any tag).
pub fn has_repository(repository: &str) -> bool {
    IMAGES.iter().any(|i| i.repository == repository)
}

// ---- kodekloud/simple-webapp-mysql (seed 004) ------------------------------------------
// Pushed in October 2018 and never rebuilt: python:alpine of the day (Python 3.7.0 on
// Alpine 3.8), then the app's Dockerfile (ADD requirements.txt, WORKDIR, RUN pip install,
// ADD ., EXPOSE 8080, CMD). The app is a small Flask page that connects to MySQL at
// $DB_Host; the text of app.py here is Porthole's own rendition of what it does.

static ALPINE38_LAYER: LayerDef = LayerDef {
    key: "alpine-3.8.1-minirootfs-x86_64",
    created_by: "/bin/sh -c #(nop) ADD file:8240c5b1f2dd8060198a653233ecdfcf44680ac0647214c9eebae3473b605673 in / ",
    compressed_size: 2_206_931,
    files: &[&[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/busybox", 0o755, 796_312),
        FileDef::Links { dir: "/bin", target: "/bin/busybox", names: ALPINE_BIN_APPLETS },
        FileDef::Dir("/dev", 0o755),
        FileDef::Dir("/etc", 0o755),
        FileDef::Text("/etc/alpine-release", 0o644, "3.8.1\n"),
        FileDef::Text("/etc/group", 0o644, ALPINE_GROUP),
        FileDef::Text("/etc/hostname", 0o644, "localhost\n"),
        FileDef::Text("/etc/os-release", 0o644, "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.8.1\nPRETTY_NAME=\"Alpine Linux v3.8\"\nHOME_URL=\"http://alpinelinux.org\"\nBUG_REPORT_URL=\"http://bugs.alpinelinux.org\"\n"),
        FileDef::Text("/etc/passwd", 0o644, ALPINE_PASSWD),
        FileDef::Text("/etc/shells", 0o644, "# valid login shells\n/bin/sh\n/bin/ash\n"),
        FileDef::Dir("/home", 0o755),
        FileDef::Dir("/lib", 0o755),
        FileDef::File("/lib/ld-musl-x86_64.so.1", 0o755, 580_144),
        FileDef::Link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"),
        FileDef::File("/lib/libcrypto.so.43.0.1", 0o755, 2_307_440),
        FileDef::File("/lib/libssl.so.45.0.1", 0o755, 432_384),
        FileDef::File("/lib/libz.so.1.2.11", 0o755, 91_952),
        FileDef::Dir("/media", 0o755),
        FileDef::Dir("/mnt", 0o755),
        FileDef::Dir("/opt", 0o755),
        FileDef::Dir("/proc", 0o555),
        FileDef::Dir("/root", 0o700),
        FileDef::Dir("/run", 0o755),
        FileDef::Dir("/sbin", 0o755),
        FileDef::Links { dir: "/sbin", target: "/bin/busybox", names: ALPINE_SBIN_APPLETS },
        FileDef::File("/sbin/apk", 0o755, 224_880),
        FileDef::Dir("/srv", 0o755),
        FileDef::Dir("/sys", 0o555),
        FileDef::Dir("/tmp", 0o1777),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/bin", 0o755),
        FileDef::Links { dir: "/usr/bin", target: "/bin/busybox", names: ALPINE_USR_BIN_APPLETS },
        FileDef::File("/usr/bin/getent", 0o755, 47_992),
        FileDef::Dir("/usr/local", 0o755),
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::Dir("/var", 0o755),
    ]],
};

static PY37_CERTS_LAYER: LayerDef = LayerDef {
    key: "python-3.7.0-alpine3.8-ca-certificates",
    created_by: "/bin/sh -c apk add --no-cache ca-certificates",
    compressed_size: 128_441,
    files: &[&[
        FileDef::Dir("/etc/ssl", 0o755),
        FileDef::Dir("/etc/ssl/certs", 0o755),
        FileDef::File("/etc/ssl/certs/ca-certificates.crt", 0o644, 232_598),
    ]],
};

static PY37_BUILD_LAYER: LayerDef = LayerDef {
    key: "python-3.7.0-alpine3.8-build",
    created_by: "/bin/sh -c set -ex \t&& apk add --no-cache --virtual .fetch-deps \t\tgnupg \t\tlibressl \t\ttar \t\txz \t\t&& wget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\" \t&& ./configure --enable-loadable-sqlite-extensions --enable-shared --with-system-expat --with-system-ffi --without-ensurepip \t&& make -j \"$(nproc)\" \t&& make install \t&& rm -rf /usr/src/python",
    compressed_size: 7_041_224,
    files: &[&[
        FileDef::Dir("/usr/local/bin", 0o755),
        FileDef::File("/usr/local/bin/python3.7", 0o755, 14_232),
        FileDef::Link("/usr/local/bin/python3", "python3.7"),
        FileDef::File("/usr/local/bin/pydoc3.7", 0o755, 84),
        FileDef::Link("/usr/local/bin/pydoc3", "pydoc3.7"),
        FileDef::Dir("/usr/local/lib", 0o755),
        FileDef::File("/usr/local/lib/libpython3.7m.so.1.0", 0o555, 17_532_328),
        FileDef::Link("/usr/local/lib/libpython3.7m.so", "libpython3.7m.so.1.0"),
        FileDef::Dir("/usr/local/lib/python3.7", 0o755),
        FileDef::File("/usr/local/lib/python3.7/socketserver.py", 0o644, 27_339),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages", 0o755),
    ]],
};

static PY37_LINKS_LAYER: LayerDef = LayerDef {
    key: "python-3.7.0-alpine3.8-symlinks",
    created_by: "/bin/sh -c cd /usr/local/bin \t&& ln -s idle3 idle \t&& ln -s pydoc3 pydoc \t&& ln -s python3 python \t&& ln -s python3-config python-config",
    compressed_size: 229,
    files: &[&[
        FileDef::Link("/usr/local/bin/idle", "idle3"),
        FileDef::Link("/usr/local/bin/pydoc", "pydoc3"),
        FileDef::Link("/usr/local/bin/python", "python3"),
        FileDef::Link("/usr/local/bin/python-config", "python3-config"),
    ]],
};

static PY37_PIP_LAYER: LayerDef = LayerDef {
    key: "python-3.7.0-alpine3.8-pip-18.1",
    created_by: "/bin/sh -c set -ex; \t\twget -O get-pip.py 'https://bootstrap.pypa.io/get-pip.py'; \t\tpython get-pip.py \t\t--disable-pip-version-check \t\t--no-cache-dir \t\t\"pip==$PYTHON_PIP_VERSION\" \t; \tpip --version; \t\tfind /usr/local -depth \t\t\\( \t\t\t\\( -type d -a \\( -name test -o -name tests \\) \\) \t\t\t-o \t\t\t\\( -type f -a \\( -name '*.pyc' -o -name '*.pyo' \\) \\) \t\t\\) -exec rm -rf '{}' +; \trm -f get-pip.py",
    compressed_size: 1_620,
    files: &[&[
        FileDef::Text("/usr/local/bin/pip", 0o755, "#!/usr/local/bin/python\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n\nfrom pip._internal import main\n\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n"),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/pip", 0o755),
        FileDef::File("/usr/local/lib/python3.7/site-packages/pip/__init__.py", 0o644, 21),
    ]],
};

const WEBAPP_REQUIREMENTS: &str = "Flask\nmysql-connector-python";

const WEBAPP_APP_PY: &str = r#"# Porthole's rendition of the simple-webapp-mysql app: a Flask page that connects
# to MySQL with the settings in its environment and says whether it could.
import os
import socket

import mysql.connector
from flask import Flask, render_template

app = Flask(__name__)

DB_Host = os.environ.get('DB_Host') or "localhost"
DB_Database = os.environ.get('DB_Database') or "mysql"
DB_User = os.environ.get('DB_User') or "root"
DB_Password = os.environ.get('DB_Password') or "paswrd"


def settings():
    shown = [k + "=" + (os.environ.get(k) or "Not Set")
             for k in ("DB_Host", "DB_Database", "DB_User", "DB_Password")]
    return "Environment Variables: " + "; ".join(shown)


@app.route("/")
def main():
    try:
        mysql.connector.connect(host=DB_Host, database=DB_Database,
                                user=DB_User, password=DB_Password)
        ok, color, error = True, '#39b54b', ""
    except Exception as e:
        ok, color, error = False, '#ff3f3f', str(e)
    return render_template('hello.html', debug=settings() + "; " + error,
                           db_connect_result=ok, name=socket.gethostname(), color=color)


@app.route("/debug")
def debug():
    return render_template('hello.html', debug=settings(), color='#2196f3')


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
"#;

static WEBAPP_REQS_LAYER: LayerDef = LayerDef {
    key: "simple-webapp-mysql-requirements",
    created_by: "/bin/sh -c #(nop) ADD file:13f07055692f4aa90ad979b4e9ea9b3b624ad3433d4c359847b469d6e5a714c8 in /opt/webapp-mysql/ ",
    compressed_size: 198,
    files: &[&[
        FileDef::Dir("/opt/webapp-mysql", 0o755),
        FileDef::Text("/opt/webapp-mysql/requirements.txt", 0o644, WEBAPP_REQUIREMENTS),
    ]],
};

static WEBAPP_WORKDIR_LAYER: LayerDef = LayerDef {
    key: "simple-webapp-mysql-workdir",
    created_by: "/bin/sh -c #(nop) WORKDIR /opt/webapp-mysql",
    compressed_size: 93,
    files: &[&[FileDef::Dir("/opt/webapp-mysql", 0o755)]],
};

static WEBAPP_PIP_LAYER: LayerDef = LayerDef {
    key: "simple-webapp-mysql-pip-install",
    created_by: "/bin/sh -c pip install -r requirements.txt",
    compressed_size: 22_118,
    files: &[&[
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/flask", 0o755),
        FileDef::File("/usr/local/lib/python3.7/site-packages/flask/__init__.py", 0o644, 1_756),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/Flask-1.0.2.dist-info", 0o755),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/werkzeug", 0o755),
        FileDef::File("/usr/local/lib/python3.7/site-packages/werkzeug/serving.py", 0o644, 32_466),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/Werkzeug-0.14.1.dist-info", 0o755),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/jinja2", 0o755),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/mysql", 0o755),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/mysql/connector", 0o755),
        FileDef::File("/usr/local/lib/python3.7/site-packages/mysql/connector/connection.py", 0o644, 43_718),
        FileDef::Dir("/usr/local/lib/python3.7/site-packages/mysql_connector_python-8.0.12.dist-info", 0o755),
        FileDef::Text("/usr/local/bin/flask", 0o755, "#!/usr/local/bin/python3.7\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n\nfrom flask.cli import main\n\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw?|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n"),
    ]],
};

static WEBAPP_APP_LAYER: LayerDef = LayerDef {
    key: "simple-webapp-mysql-app",
    created_by: "/bin/sh -c #(nop) ADD dir:afb13367fd598d077eabbcd2a379d11a55d88fb5fa89a54b60436114eb290aaf in /opt/webapp-mysql ",
    compressed_size: 41_307,
    files: &[&[
        FileDef::Dir("/opt/webapp-mysql", 0o755),
        FileDef::Text("/opt/webapp-mysql/app.py", 0o644, WEBAPP_APP_PY),
        FileDef::Text("/opt/webapp-mysql/requirements.txt", 0o644, WEBAPP_REQUIREMENTS),
        FileDef::Dir("/opt/webapp-mysql/static", 0o755),
        FileDef::Dir("/opt/webapp-mysql/static/img", 0o755),
        FileDef::File("/opt/webapp-mysql/static/img/failed.png", 0o644, 16_957),
        FileDef::File("/opt/webapp-mysql/static/img/success.jpg", 0o644, 39_592),
        FileDef::Dir("/opt/webapp-mysql/templates", 0o755),
        FileDef::File("/opt/webapp-mysql/templates/hello.html", 0o644, 645),
    ]],
};

const REGISTRY_BIN_CREATED_BY: &str = "RUN /bin/sh -c set -eux; \tversion='2.8.3'; \twget -O registry.tar.gz \"https://github.com/distribution/distribution/releases/download/v${version}/registry_${version}_linux_amd64.tar.gz\"; \ttar --extract --verbose --file registry.tar.gz --directory /bin/ registry; \trm registry.tar.gz; \tregistry --version # buildkit";

const REGISTRY_CONFIG: &str = "version: 0.1\nlog:\n  fields:\n    service: registry\nstorage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n  headers:\n    X-Content-Type-Options: [nosniff]\nhealth:\n  storagedriver:\n    enabled: true\n    interval: 10s\n    threshold: 3\n";

const REGISTRY_ENTRYPOINT: &str = "#!/bin/sh\n\nset -e\n\ncase \"$1\" in\n    *.yaml|*.yml) set -- registry serve \"$@\" ;;\n    serve|garbage-collect|help|-*) set -- registry \"$@\" ;;\nesac\n\nexec \"$@\"\n";

static REGISTRY_CA_LAYER: LayerDef = LayerDef {
    key: "registry-2.8.3-ca-certificates",
    created_by: "RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit",
    compressed_size: 118_421,
    files: &[&[
        FileDef::Dir("/etc", 0o755),
        FileDef::Dir("/etc/ssl", 0o755),
        FileDef::Dir("/etc/ssl/certs", 0o755),
        FileDef::File("/etc/ssl/certs/ca-certificates.crt", 0o644, 219_342),
        FileDef::Dir("/usr", 0o755),
        FileDef::Dir("/usr/share", 0o755),
        FileDef::Dir("/usr/share/ca-certificates", 0o755),
        FileDef::Dir("/usr/share/ca-certificates/mozilla", 0o755),
        FileDef::File("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", 0o644, 1_939),
        FileDef::File("/usr/share/ca-certificates/mozilla/DigiCert_Global_Root_G2.crt", 0o644, 1_294),
        FileDef::Dir("/usr/sbin", 0o755),
        FileDef::File("/usr/sbin/update-ca-certificates", 0o755, 39_064),
        FileDef::Dir("/lib", 0o755),
        FileDef::Dir("/lib/apk", 0o755),
        FileDef::Dir("/lib/apk/db", 0o755),
        FileDef::File("/lib/apk/db/installed", 0o644, 18_220),
        FileDef::Dir("/etc/apk", 0o755),
        FileDef::Text("/etc/apk/world", 0o644, "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates\nca-certificates-bundle\nlibc-utils\n"),
    ]],
};

static REGISTRY_BIN_LAYER: LayerDef = LayerDef {
    key: "registry-2.8.3-binary",
    created_by: REGISTRY_BIN_CREATED_BY,
    compressed_size: 6_143_228,
    files: &[&[
        FileDef::Dir("/bin", 0o755),
        FileDef::File("/bin/registry", 0o755, 20_615_168),
    ]],
};

static REGISTRY_CONFIG_LAYER: LayerDef = LayerDef {
    key: "registry-2.8.3-config",
    created_by: "COPY ./config-example.yml /etc/docker/registry/config.yml # buildkit",
    compressed_size: 386,
    files: &[&[
        FileDef::Dir("/etc", 0o755),
        FileDef::Dir("/etc/docker", 0o755),
        FileDef::Dir("/etc/docker/registry", 0o755),
        FileDef::Text("/etc/docker/registry/config.yml", 0o644, REGISTRY_CONFIG),
        FileDef::Dir("/var", 0o755),
        FileDef::Dir("/var/lib", 0o755),
        FileDef::Dir("/var/lib/registry", 0o755),
    ]],
};

static REGISTRY_ENTRYPOINT_LAYER: LayerDef = LayerDef {
    key: "registry-2.8.3-entrypoint",
    created_by: "COPY docker-entrypoint.sh /entrypoint.sh # buildkit",
    compressed_size: 389,
    files: &[&[FileDef::Text("/entrypoint.sh", 0o755, REGISTRY_ENTRYPOINT)]],
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// Every path a layer defines, with what it is: `None` for a directory or file, `Some(target)`
    /// for a symlink. Panics on a path defined twice.
    fn entries(layer: &LayerDef) -> BTreeMap<String, Option<String>> {
        let mut out = BTreeMap::new();
        let mut add = |p: String, link: Option<String>| {
            assert!(
                p.starts_with('/'),
                "{}: path {p:?} is not absolute",
                layer.key
            );
            assert!(
                !p.ends_with('/') && !p.contains("//"),
                "{}: path {p:?} is not normal",
                layer.key
            );
            assert!(
                out.insert(p.clone(), link).is_none(),
                "{}: {p} is defined twice",
                layer.key
            );
        };
        for f in layer.entries() {
            match f {
                FileDef::Dir(p, _) | FileDef::File(p, _, _) | FileDef::Text(p, _, _) => {
                    add(p.to_string(), None)
                }
                FileDef::Link(p, t) => add(p.to_string(), Some(t.to_string())),
                FileDef::Links { dir, target, names } => {
                    for n in names.iter() {
                        add(format!("{dir}/{n}"), Some(target.to_string()));
                    }
                }
            }
        }
        out
    }

    fn layer_size(layer: &LayerDef) -> u64 {
        layer
            .entries()
            .map(|f| match f {
                FileDef::Dir(..) => 0,
                FileDef::File(_, _, s) => *s,
                FileDef::Text(_, _, t) => t.len() as u64,
                FileDef::Link(_, t) => t.len() as u64,
                FileDef::Links { target, names, .. } => (target.len() * names.len()) as u64,
            })
            .sum()
    }

    fn image(repository: &str, tag: &str) -> &'static ImageDef {
        find(repository, tag).unwrap_or_else(|| panic!("{repository}:{tag} is missing"))
    }

    fn all_layers() -> Vec<&'static LayerDef> {
        let mut v: Vec<&'static LayerDef> = Vec::new();
        for i in IMAGES {
            for l in i.layers {
                if !v.iter().any(|x| std::ptr::eq(*x, *l)) {
                    v.push(l);
                }
            }
        }
        v
    }

    /// The merged view of an image's layers: path -> symlink target (None for files and dirs).
    fn merged(img: &ImageDef) -> BTreeMap<String, Option<String>> {
        let mut m = BTreeMap::new();
        for l in img.layers {
            m.extend(entries(l));
        }
        m
    }

    /// Resolves symlinks (also in parent directories) like the kernel does; `None` if missing.
    fn resolve(m: &BTreeMap<String, Option<String>>, path: &str) -> Option<String> {
        let mut path = path.to_string();
        'restart: for _ in 0..40 {
            let comps: Vec<String> = path
                .split('/')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect();
            let mut cur = String::new();
            for (i, c) in comps.iter().enumerate() {
                let next = format!("{cur}/{c}");
                let implied_dir = m.keys().any(|k| k.starts_with(&format!("{next}/")));
                match m.get(&next) {
                    Some(Some(target)) => {
                        let base = if target.starts_with('/') {
                            String::new()
                        } else {
                            cur.clone()
                        };
                        let rest = comps[i + 1..].join("/");
                        let mut parts: Vec<&str> = Vec::new();
                        let joined = format!("{base}/{target}/{rest}");
                        for p in joined.split('/') {
                            match p {
                                "" | "." => {}
                                ".." => {
                                    parts.pop();
                                }
                                p => parts.push(p),
                            }
                        }
                        path = format!("/{}", parts.join("/"));
                        continue 'restart;
                    }
                    Some(None) => cur = next,
                    None if implied_dir => cur = next,
                    None => return None,
                }
            }
            return Some(cur);
        }
        None
    }

    #[test]
    fn history_lists_one_non_empty_entry_per_layer() {
        for i in IMAGES {
            let made: Vec<&HistoryDef> = i.history.iter().filter(|h| !h.empty_layer).collect();
            assert_eq!(made.len(), i.layers.len(), "{}:{}", i.repository, i.tags[0]);
            for (h, l) in made.iter().zip(i.layers) {
                assert_eq!(
                    h.created_by, l.created_by,
                    "{}:{} layer {}",
                    i.repository, i.tags[0], l.key
                );
            }
        }
    }

    #[test]
    fn history_dates_are_rfc3339_and_not_after_the_image() {
        let rfc3339 = |s: &str| {
            s.len() == 20 && s.as_bytes()[4] == b'-' && s.as_bytes()[10] == b'T' && s.ends_with('Z')
        };
        for i in IMAGES {
            assert!(rfc3339(i.created), "{}: {}", i.repository, i.created);
            for h in i.history {
                assert!(rfc3339(h.created), "{}: {}", i.repository, h.created);
                assert!(
                    h.created <= i.created,
                    "{}:{}: {} is after the image",
                    i.repository,
                    i.tags[0],
                    h.created
                );
            }
            assert_eq!(
                i.history.last().map(|h| h.created),
                Some(i.created),
                "{}",
                i.repository
            );
        }
    }

    #[test]
    fn paths_are_absolute_and_unique_within_each_layer() {
        for l in all_layers() {
            entries(l);
        }
    }

    #[test]
    fn no_entry_sits_under_a_symlink_of_its_own_layer() {
        for l in all_layers() {
            let e = entries(l);
            for p in e.keys() {
                let mut parent = p.as_str();
                while let Some(i) = parent.rfind('/') {
                    parent = &parent[..i];
                    if parent.is_empty() {
                        break;
                    }
                    assert!(
                        !matches!(e.get(parent), Some(Some(_))),
                        "{}: {p} is under the symlink {parent}",
                        l.key
                    );
                }
            }
        }
    }

    #[test]
    fn layers_stay_small_and_have_plausible_sizes() {
        for l in all_layers() {
            assert!(
                l.entries().count() <= 160,
                "{} has {} entries",
                l.key,
                l.entries().count()
            );
            // gzip never makes a layer of real files bigger than a small tar overhead.
            assert!(l.compressed_size <= layer_size(l) + 2048, "{}", l.key);
        }
    }

    #[test]
    fn layer_keys_identify_layers() {
        let layers = all_layers();
        for (i, a) in layers.iter().enumerate() {
            for b in &layers[i + 1..] {
                assert_ne!(a.key, b.key, "two different layers share a key");
            }
        }
    }

    #[test]
    fn tags_are_unique_per_repository() {
        let mut seen = BTreeSet::new();
        for i in IMAGES {
            assert!(!i.tags.is_empty(), "{} has no tags", i.repository);
            for t in i.tags {
                assert!(
                    seen.insert((i.repository, *t)),
                    "{}:{t} is listed twice",
                    i.repository
                );
            }
        }
    }

    #[test]
    fn images_share_their_base_layers() {
        let slim = image("library/debian", "bookworm-slim").layers[0];
        let full = image("library/debian", "latest").layers[0];
        assert!(std::ptr::eq(slim, &DEBIAN_SLIM_LAYER));
        assert!(std::ptr::eq(
            image("library/nginx", "latest").layers[0],
            slim
        ));
        assert!(std::ptr::eq(
            image("library/redis", "latest").layers[0],
            slim
        ));
        assert!(std::ptr::eq(
            image("library/python", "latest").layers[0],
            full
        ));
        assert!(!std::ptr::eq(slim, full));
        assert_eq!(image("library/nginx", "1.27.2").layers.len(), 7);
        assert_eq!(image("library/redis", "7.4.1").layers.len(), 8);
    }

    #[test]
    fn find_and_has_repository() {
        let nginx = find("library/nginx", "latest").expect("nginx:latest");
        assert_eq!(nginx.repository, "library/nginx");
        assert!(std::ptr::eq(nginx, image("library/nginx", "1.27")));
        assert!(find("library/nginx", "0.1").is_none());
        assert!(find("library/nope", "latest").is_none());
        assert!(has_repository("library/alpine"));
        assert!(!has_repository("library/nope"));
        for r in [
            "busybox", "alpine", "ubuntu", "debian", "nginx", "redis", "mysql", "python",
        ] {
            assert!(
                find(&format!("library/{r}"), "latest").is_some(),
                "{r}:latest"
            );
        }
    }

    #[test]
    fn the_commands_students_try_are_there() {
        let everywhere = [
            "sh", "cat", "ls", "echo", "env", "id", "uname", "sleep", "mount", "pwd",
        ];
        for i in IMAGES {
            let m = merged(i);
            for c in everywhere {
                let found = ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"]
                    .iter()
                    .any(|d| resolve(&m, &format!("{d}/{c}")).is_some());
                assert!(found, "{}:{} has no {c}", i.repository, i.tags[0]);
            }
        }
        let has = |r: &str, t: &str, p: &str| resolve(&merged(image(r, t)), p).is_some();
        for (r, t) in [
            ("ubuntu", "latest"),
            ("debian", "latest"),
            ("debian", "bookworm-slim"),
            ("nginx", "latest"),
            ("redis", "latest"),
            ("mysql", "latest"),
            ("python", "latest"),
        ] {
            let repo = format!("library/{r}");
            assert!(has(&repo, t, "/bin/bash"), "{r}:{t} /bin/bash");
            assert!(has(&repo, t, "/bin/sh"), "{r}:{t} /bin/sh");
        }
        assert_eq!(
            resolve(&merged(image("library/debian", "latest")), "/bin/sh").as_deref(),
            Some("/usr/bin/dash")
        );
        assert_eq!(
            resolve(&merged(image("library/alpine", "latest")), "/bin/sh").as_deref(),
            Some("/bin/busybox")
        );
        assert_eq!(
            resolve(&merged(image("library/alpine", "latest")), "/sbin/ip").as_deref(),
            Some("/bin/busybox")
        );
        assert!(has("library/alpine", "latest", "/bin/ps"));
        assert!(has("library/python", "latest", "/usr/bin/ps"));
        assert!(
            !has("library/debian", "bookworm-slim", "/usr/bin/ps"),
            "debian:bookworm-slim has no procps"
        );
        assert!(has("library/nginx", "latest", "/usr/sbin/nginx"));
        assert!(has("library/nginx", "latest", "/etc/nginx/nginx.conf"));
        assert!(has(
            "library/nginx",
            "latest",
            "/usr/share/nginx/html/index.html"
        ));
        assert!(has("library/nginx", "latest", "/docker-entrypoint.sh"));
        assert!(has(
            "library/redis",
            "latest",
            "/usr/local/bin/redis-server"
        ));
        assert!(has(
            "library/redis",
            "latest",
            "/usr/local/bin/docker-entrypoint.sh"
        ));
        assert!(has("library/redis", "latest", "/data"));
        assert!(has("library/mysql", "latest", "/usr/sbin/mysqld"));
        assert!(has("library/mysql", "latest", "/etc/my.cnf"));
        assert!(has("library/mysql", "latest", "/var/lib/mysql"));
        let py = merged(image("library/python", "latest"));
        assert_eq!(
            resolve(&py, "/usr/local/bin/python").as_deref(),
            Some("/usr/local/bin/python3.12")
        );
        assert!(resolve(&py, "/usr/local/bin/pip3").is_some());
        // nginx's logs go to the container's stdout and stderr.
        let ng = merged(image("library/nginx", "latest"));
        assert_eq!(
            ng.get("/var/log/nginx/access.log"),
            Some(&Some("/dev/stdout".to_string()))
        );
        assert_eq!(
            ng.get("/var/log/nginx/error.log"),
            Some(&Some("/dev/stderr".to_string()))
        );
    }

    #[test]
    fn os_release_names_the_distribution() {
        let text = |r: &str, p: &str| -> &'static str {
            let img = image(r, "latest");
            let m = merged(img);
            let real = resolve(&m, p).unwrap_or_else(|| panic!("{r}: {p} is missing"));
            img.layers
                .iter()
                .rev()
                .flat_map(|l| l.entries())
                .find_map(|f| match f {
                    FileDef::Text(q, _, t) if *q == real => Some(*t),
                    _ => None,
                })
                .unwrap_or_else(|| panic!("{r}: {real} has no text"))
        };
        assert!(text("library/alpine", "/etc/os-release").contains("VERSION_ID=3.20.3"));
        assert_eq!(text("library/alpine", "/etc/alpine-release"), "3.20.3\n");
        assert!(text("library/ubuntu", "/etc/os-release").contains("Ubuntu 24.04.1 LTS"));
        assert!(text("library/ubuntu", "/etc/passwd").contains("\nubuntu:x:1000:1000:"));
        assert!(text("library/debian", "/etc/os-release").contains("bookworm"));
        assert!(text("library/nginx", "/etc/passwd").contains("\nnginx:x:101:101:"));
        assert!(text("library/redis", "/etc/passwd").contains("\nredis:x:999:999:"));
        assert!(text("library/mysql", "/etc/os-release").contains("Oracle Linux Server"));
        assert!(
            text("library/nginx", "/usr/share/nginx/html/index.html").contains("Welcome to nginx!")
        );
    }
}
