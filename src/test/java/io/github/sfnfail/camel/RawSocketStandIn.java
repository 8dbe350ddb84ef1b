package io.github.sfnfail.camel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Step Functions on a loopback port that answers at the byte level, one scripted answer per request in
 * turn, for faults an HTTP server cannot make: a status line and part of a body, then a reset.
 */
final class RawSocketStandIn implements AutoCloseable {

    /** What to write back for one request; it may reset the connection. */
    interface Answer {
        void write(Socket socket, OutputStream out) throws IOException;
    }

    private final ServerSocket server;
    private final List<Answer> answers;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RawSocketStandIn(Answer... answers) throws IOException {
        this.answers = List.of(answers);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "raw-socket-stand-in");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    List<String> bodies() {
        return bodies;
    }

    /** A 200 that promises a body of 40 bytes, sends one, and resets the connection. */
    static Answer okWithBodyCutByReset() {
        return (socket, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amzn-RequestId: cut\r\n"
                       + "Content-Length: 40\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            reset(socket);
        };
    }

    /** A complete JSON 1.0 answer. */
    static Answer json(int status, String body) {
        return (socket, out) -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 " + status + " Status\r\nContent-Type: application/x-amz-json-1.0\r\n"
                       + "x-amzn-RequestId: raw-" + status + "\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        };
    }

    static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> handle(socket), "raw-socket-stand-in-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (!socket.isClosed()) {
                String body = readRequest(in);
                if (body == null) {
                    return;
                }
                bodies.add(body);
                int index = requests.getAndIncrement();
                answers.get(Math.min(index, answers.size() - 1)).write(socket, out);
            }
        } catch (IOException e) {
            // the client went away, or the answer reset the connection
        }
    }

    /** The body of the next request on the connection, or null at its end. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        int last4 = 0;
        while ((b = in.read()) != -1) {
            head.write(b);
            last4 = last4 << 8 | b;
            if (last4 == 0x0d0a0d0a) {
                break;
            }
        }
        if (b == -1) {
            return null;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
