//! Bad input: Docker's wording and exit codes, and the state after equals the state before.

use porthole_engine::Engine;

/// Sets up a host with a running `web` container and the busybox image.
fn host() -> Engine<porthole_engine::SimKernel> {
    let mut e = Engine::sim(0);
    let o = e.execute_next("docker run -d --name web busybox sleep 1000");
    assert_eq!(o.exit_code, 0);
    e
}

/// Runs a failing command; checks its stderr, exit code, and that nothing changed.
fn fails(line: &str, stderr: &str, code: i32) {
    let mut e = host();
    let before = e.digest();
    let snap = e.snapshot();
    let o = e.execute_next(line);
    assert_eq!(o.stderr(), stderr, "stderr of `{line}`");
    assert_eq!(o.exit_code, code, "exit code of `{line}`");
    assert_eq!(e.digest(), before, "`{line}` changed the state");
    let mut after = e.snapshot();
    after.time = snap.time;
    assert_eq!(after, snap, "`{line}` changed the snapshot");
}

#[test]
fn unknown_command() {
    fails(
        "docker foo",
        "docker: unknown command: docker foo\n\nRun 'docker --help' for more information\n",
        1,
    );
    fails(
        "docker container foo",
        "docker: unknown command: docker container foo\n\nRun 'docker container --help' for more information\n",
        1,
    );
}

#[test]
fn unknown_flags() {
    fails(
        "docker run --foo busybox",
        "unknown flag: --foo\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
        125,
    );
    fails(
        "docker ps -z",
        "unknown shorthand flag: 'z' in -z\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n",
        125,
    );
    fails(
        "docker run --name",
        "flag needs an argument: --name\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'docker run --help' for more information\n",
        125,
    );
    fails(
        "docker inspect -f",
        "flag needs an argument: 'f' in -f\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nRun 'docker inspect --help' for more information\n",
        125,
    );
}

#[test]
fn argument_counts_as_the_cli_words_them() {
    fails(
        "docker run",
        "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n",
        1,
    );
    fails(
        "docker run -d",
        "docker: 'docker run' requires at least 1 argument\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nSee 'docker run --help' for more information\n",
        1,
    );
    fails(
        "docker pull",
        "docker: 'docker pull' requires 1 argument\n\nUsage:  docker pull [OPTIONS] NAME[:TAG|@DIGEST]\n\nRun 'docker pull --help' for more information\n",
        1,
    );
    fails("docker ps a", "docker: 'docker ps' accepts no arguments\n\nUsage:  docker ps [OPTIONS]\n\nRun 'docker ps --help' for more information\n", 1);
    // docker CLI 28.2.2 really prints "SRun" here (a typo in its RequiresMaxArgs).
    fails(
        "docker images a b",
        "docker: 'docker images' requires at most 1 argument\n\nUsage:  docker images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'docker images --help' for more information\n",
        1,
    );
    fails(
        "docker logs a b",
        "docker: 'docker logs' requires 1 argument\n\nUsage:  docker logs [OPTIONS] CONTAINER\n\nRun 'docker logs --help' for more information\n",
        1,
    );
}

#[test]
fn unknown_image() {
    fails(
        "docker run nosuch",
        "Unable to find image 'nosuch:latest' locally\ndocker: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n\nRun 'docker run --help' for more information\n",
        125,
    );
    fails(
        "docker pull nosuch",
        "Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n",
        1,
    );
    fails(
        "docker pull busybox:nosuch",
        "Error response from daemon: manifest for busybox:nosuch not found: manifest unknown: manifest unknown\n",
        1,
    );
    fails(
        "docker run Busybox",
        "docker: invalid reference format: repository name (library/Busybox) must be lowercase\n\nRun 'docker run --help' for more information\n",
        125,
    );
}

#[test]
fn name_conflict() {
    let mut e = host();
    let id = e.containers().next().unwrap().id.clone();
    let before = e.digest();
    let o = e.execute_next("docker run --name web busybox echo hi");
    assert_eq!(
        o.stderr(),
        format!("docker: Error response from daemon: Conflict. The container name \"/web\" is already in use by container \"{id}\". You have to remove (or rename) that container to be able to reuse that name.\n\nRun 'docker run --help' for more information\n")
    );
    assert_eq!(o.exit_code, 125);
    assert_eq!(e.digest(), before);
    fails(
        "docker run --name a busybox true",
        "docker: Error response from daemon: Invalid container name (a), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed\n\nRun 'docker run --help' for more information\n",
        125,
    );
}

#[test]
fn rm_of_a_running_container() {
    fails(
        "docker rm web",
        "Error response from daemon: cannot remove container \"/web\": container is running: stop the container before removing or force remove\n",
        1,
    );
}

#[test]
fn no_such_container() {
    fails(
        "docker stop x",
        "Error response from daemon: No such container: x\n",
        1,
    );
    fails(
        "docker kill x",
        "Error response from daemon: No such container: x\n",
        1,
    );
    fails(
        "docker rm x",
        "Error response from daemon: No such container: x\n",
        1,
    );
    fails(
        "docker logs x",
        "Error response from daemon: No such container: x\n",
        1,
    );
    fails("docker inspect x", "Error: No such object: x\n", 1);
}

#[test]
fn inspect_of_a_missing_object_prints_an_empty_array() {
    let mut e = host();
    let o = e.execute_next("docker inspect nope");
    assert_eq!(o.stdout(), "[]\n");
}

#[test]
fn a_failure_among_several_does_not_stop_the_rest() {
    let mut e = host();
    let o = e.execute_next("docker stop x web");
    assert_eq!(o.stdout(), "web\n");
    assert_eq!(
        o.stderr(),
        "Error response from daemon: No such container: x\n"
    );
    assert_eq!(o.exit_code, 1);
}

#[test]
fn no_command_at_all() {
    fails(
        "docker run --entrypoint '' busybox",
        "docker: Error response from daemon: no command specified\n\nRun 'docker run --help' for more information\n",
        125,
    );
}

/// The CLI's global options come before the command: `-v` is `--version` (so the
/// seeds' `docker -v myvolume:/var/lib/mysql run mysql` only prints the version), `-H`
/// names the daemon, unknown ones are refused by the root command.
#[test]
fn global_options() {
    let mut e = host();
    let before = e.digest();
    let o = e.execute_next("docker -v myvolume:/var/lib/mysql run mysql");
    assert_eq!(o.stdout(), "Docker version 28.2.2, build e6534b4\n");
    assert_eq!(o.exit_code, 0);
    assert_eq!(e.digest(), before, "-v ran something");
    let o = e.execute_next("docker -H unix:///var/run/docker.sock -D ps -q");
    assert_eq!(o.exit_code, 0);
    assert_eq!(o.stdout().lines().count(), 1, "{}", o.stdout());
    fails(
        "docker -H unix:///tmp/other.sock ps",
        "Cannot connect to the Docker daemon at unix:///tmp/other.sock. Is the docker daemon running?\n",
        1,
    );
    fails(
        "docker -X ps",
        "unknown shorthand flag: 'X' in -X\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n",
        125,
    );
    fails(
        "docker -H",
        "flag needs an argument: 'H' in -H\n\nUsage:  docker [OPTIONS] COMMAND [ARG...]\n\nRun 'docker --help' for more information\n",
        125,
    );
}
