package io.github.ssestarter.benchmarks.server.raw;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ssestarter.benchmarks.protocol.EventPayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.github.ssestarter.benchmarks.server.raw.RawServerTest.assertContiguous;
import static io.github.ssestarter.benchmarks.server.raw.RawServerTest.readUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The writers' side, on sockets with small buffers of fixed size (the kernel's autotuning would take
 * megabytes on loopback before a stream has anything pending).
 */
class RawTopicTest {

	private static final int SOCKET_BUFFER = 4096;

	private RawTopic topic;

	private ServerSocketChannel server;

	private long sequence;

	@BeforeEach
	void start() throws IOException {
		this.topic = new RawTopic(2);
		this.topic.start();
		this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
	}

	@AfterEach
	void stop() throws Exception {
		this.topic.close();
		this.server.close();
	}

	@Test
	void aStreamGetsEveryEventPublishedAfterItSubscribedAndNoneBefore() throws Exception {
		publish(5, 16);
		try (Socket client = subscribe()) {
			publish(5, 16);
			assertThat(assertContiguous(readUntil(client.getInputStream(), "id: 10\n"), 6)).isEqualTo(10);
		}
	}

	@Test
	void aStreamBehindGetsWhatItsSocketDidNotTakeInOrder() throws Exception {
		try (Socket behind = subscribe(); Socket other = subscribe()) {
			// about 600 KiB each: far more than the sockets take, less than the limit
			publish(300, 2048);
			for (Socket client : new Socket[] { behind, other }) {
				assertThat(assertContiguous(readUntil(client.getInputStream(), "id: 300\n"), 1)).isEqualTo(300);
			}
			assertThat(this.topic.subscriberCount()).isEqualTo(2);
		}
	}

	@Test
	void aStreamMoreThanOneMebibyteBehindIsClosedAfterWhatItsSocketTook() throws Exception {
		try (Socket stalled = subscribe()) {
			publish(600, 2048);
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(5))
				.atMost(Duration.ofSeconds(5))
				.until(() -> this.topic.subscriberCount() == 0);
			String received = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(assertContiguous(received, 1)).isBetween(1L, 599L);
		}
	}

	private Socket subscribe() throws IOException {
		Socket client = new Socket();
		client.setReceiveBufferSize(SOCKET_BUFFER);
		client.setSoTimeout(5000);
		client.connect(this.server.getLocalAddress());
		SocketChannel channel = this.server.accept();
		channel.configureBlocking(false);
		channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
		this.topic.subscribe(channel, HttpResponses.STREAM_HEAD);
		return client;
	}

	/** As the publisher does, from one thread. */
	private void publish(int count, int size) {
		for (int i = 0; i < count; i++) {
			long sequence = ++this.sequence;
			assertThat(this.topic.publish(EventPayload.encode(1, sequence, size))).isEqualTo(Long.toString(sequence));
		}
	}

}
