/*
 * A jujusim hook tool as a compiled client: the same wire as the Python tool, _toolscript.py.
 *
 * The request is a run of fields, each an 8-byte big-endian length then that many bytes:
 * JUJU_CONTEXT_ID, "0" (no stdin) or "1" followed by all of stdin (when the arguments hold
 * "--file=-" or "--file -"), the tool's name (argv[0]'s base name), then each argument. The
 * client writes it to the Unix socket at JUJU_AGENT_SOCKET_ADDRESS, shuts its write side, and
 * reads until the server closes: three fields, the exit code, stdout and stderr. It prints both
 * and exits with that code. Like Juju's jujuc, it does nothing else, so a call costs one process
 * start and one socket round trip.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct buffer {
    char *data;
    size_t size;
    size_t capacity;
};

static void fail(const char *what) {
    fprintf(stderr, "ERROR jujusim hook tool: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* Make room for `more` bytes after the buffer's contents. */
static void reserve(struct buffer *buf, size_t more) {
    if (buf->size + more > buf->capacity) {
        buf->capacity = 2 * (buf->size + more);
        buf->data = realloc(buf->data, buf->capacity);
        if (buf->data == NULL) {
            fail("out of memory");
        }
    }
}

static void append(struct buffer *buf, const void *data, size_t size) {
    reserve(buf, size);
    memcpy(buf->data + buf->size, data, size);
    buf->size += size;
}

static void append_field(struct buffer *buf, const char *data, size_t size) {
    unsigned char prefix[8];
    for (int i = 0; i < 8; i++) {
        prefix[i] = (unsigned char)((uint64_t)size >> (56 - 8 * i));
    }
    append(buf, prefix, sizeof prefix);
    append(buf, data, size);
}

static void read_all(int fd, struct buffer *buf) {
    ssize_t got;
    do {
        reserve(buf, 65536);
        got = read(fd, buf->data + buf->size, buf->capacity - buf->size);
        if (got < 0 && errno != EINTR) {
            fail("read");
        }
        buf->size += got > 0 ? (size_t)got : 0;
    } while (got != 0);
}

static void write_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t put = write(fd, data, size);
        if (put < 0 && errno != EINTR) {
            fail("write");
        }
        if (put > 0) {
            data += put;
            size -= (size_t)put;
        }
    }
}

static int wants_stdin(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--file=-") == 0 ||
            (strcmp(argv[i], "--file") == 0 && i + 1 < argc && strcmp(argv[i + 1], "-") == 0)) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *address = getenv("JUJU_AGENT_SOCKET_ADDRESS");
    const char *context = getenv("JUJU_CONTEXT_ID");
    struct sockaddr_un peer = {.sun_family = AF_UNIX};
    if (address == NULL) {
        fprintf(stderr, "ERROR jujusim hook tool: JUJU_AGENT_SOCKET_ADDRESS is not set\n");
        return 1;
    }
    if (strlen(address) >= sizeof peer.sun_path) {
        fprintf(stderr, "ERROR jujusim hook tool: socket path too long: %s\n", address);
        return 1;
    }
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];

    struct buffer request = {0}, input = {0}, response = {0};
    context = context ? context : "";
    append_field(&request, context, strlen(context));
    append(&input, wants_stdin(argc, argv) ? "1" : "0", 1);
    if (input.data[0] == '1') {
        read_all(STDIN_FILENO, &input);
    }
    append_field(&request, input.data, input.size);
    append_field(&request, name, strlen(name));
    for (int i = 1; i < argc; i++) {
        append_field(&request, argv[i], strlen(argv[i]));
    }

    strcpy(peer.sun_path, address);
    int sock = socket(AF_UNIX, SOCK_STREAM, 0);
    if (sock < 0) {
        fail("socket");
    }
    if (connect(sock, (struct sockaddr *)&peer, sizeof peer) < 0) {
        fail("connect");
    }
    write_all(sock, request.data, request.size);
    shutdown(sock, SHUT_WR);
    read_all(sock, &response);
    close(sock);

    /* The answer: three fields, the exit code, stdout and stderr. */
    const char *field[3];
    size_t size[3], at = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t length = 0;
        int whole = at + 8 <= response.size;
        for (int j = 0; whole && j < 8; j++) {
            length = (length << 8) | (unsigned char)response.data[at + j];
        }
        /* A field must fit in what was read; the exit code, in code[] below. */
        if (!whole || length > response.size - at - 8 || (i == 0 && length >= 16)) {
            fprintf(stderr, "ERROR jujusim hook tool: malformed answer from the simulator\n");
            return 1;
        }
        field[i] = response.data + at + 8;
        size[i] = (size_t)length;
        at += 8 + size[i];
    }
    char code[16];
    memcpy(code, field[0], size[0]);
    code[size[0]] = '\0';
    write_all(STDOUT_FILENO, field[1], size[1]);
    write_all(STDERR_FILENO, field[2], size[2]);
    return atoi(code);
}
