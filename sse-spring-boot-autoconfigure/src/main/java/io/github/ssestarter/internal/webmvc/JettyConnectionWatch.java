package io.github.ssestarter.internal.webmvc;

import java.io.IOException;

import io.github.ssestarter.internal.web.SseConnection;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices at once that a Jetty client closed its HTTP/1.x connection: once the request's body is
 * read, Jetty stops reading the connection while the response streams, so the watch asks Jetty to
 * tell it when the connection has something to read. End of stream, a reset, or bytes of a
 * pipelined request (which cannot be given back) all mean the client is not waiting on this
 * stream: the stream ends and the connection is closed.
 *
 * <p>Only loaded when Jetty 12's servlet API is on the class path.
 */
final class JettyConnectionWatch {

	private final SseConnection stream;

	private final Connection connection;

	private final EndPoint endPoint;

	private JettyConnectionWatch(SseConnection stream, Connection connection) {
		this.stream = stream;
		this.connection = connection;
		this.endPoint = connection.getEndPoint();
	}

	/**
	 * Starts watching the connection of a Jetty request whose body has been read.
	 * @return {@code false} if the request is not Jetty's, or Jetty is reading the connection
	 * itself
	 */
	static boolean watch(SseConnection stream, HttpServletRequest request) {
		ServletContextRequest jettyRequest;
		try {
			jettyRequest = ServletContextRequest.getServletContextRequest(request);
		}
		catch (IllegalStateException ex) {
			return false;
		}
		return new JettyConnectionWatch(stream, jettyRequest.getConnectionMetaData().getConnection()).register();
	}

	private boolean register() {
		return this.endPoint.tryFillInterested(Callback.from(this::readable, (failure) -> {
			// The stream ended first and Jetty dropped the interest with the connection.
		}));
	}

	private void readable() {
		int read;
		try {
			read = this.endPoint.fill(BufferUtil.allocate(256));
		}
		catch (IOException | RuntimeException ex) {
			read = -1;
		}
		if (read == 0) {
			register();
			return;
		}
		// Ended first, so that Jetty's failing of the request finds the stream over.
		this.stream.clientGone(new IOException("Client closed the connection"));
		this.connection.close();
	}

}
