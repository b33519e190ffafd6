package io.github.ssestarter.internal.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writing thread joins each write's frames into an array it reuses, unless the response kept
 * the last one.
 */
class JoinBufferTests {

	private final JoinBuffer buffer = new JoinBuffer();

	@Test
	void joinsFramesInOrder() {
		this.buffer.join(List.of(bytes("data: a\n\n"), bytes("data: bc\n\n"), bytes(": ping\n\n")));

		assertThat(joined()).isEqualTo("data: a\n\ndata: bc\n\n: ping\n\n");
	}

	@Test
	void reusesItsArrayFromJoinToJoin() {
		this.buffer.join(List.of(bytes("data: a\n\n"), bytes("data: b\n\n")));
		byte[] first = this.buffer.array();
		this.buffer.join(List.of(bytes("data: c\n\n"), bytes("data: d\n\n")));

		assertThat(this.buffer.array()).isSameAs(first);
		assertThat(joined()).isEqualTo("data: c\n\ndata: d\n\n");
	}

	@Test
	void growsItsArrayForALargerJoinAndKeepsIt() {
		this.buffer.join(List.of(frame(20_000), frame(20_000)));
		byte[] grown = this.buffer.array();
		this.buffer.join(List.of(frame(10), frame(10)));

		assertThat(grown.length).isGreaterThanOrEqualTo(40_000).isLessThanOrEqualTo(JoinBuffer.MAX_KEPT);
		assertThat(this.buffer.array()).isSameAs(grown);
	}

	@Test
	void givesAJoinLargerThanItKeepsAnArrayOfItsOwn() {
		this.buffer.join(List.of(frame(10), frame(10)));
		byte[] kept = this.buffer.array();
		this.buffer.join(List.of(frame(JoinBuffer.MAX_KEPT), frame(10)));

		assertThat(this.buffer.array()).isNotSameAs(kept).hasSize(JoinBuffer.MAX_KEPT + 10);
		assertThat(this.buffer.length()).isEqualTo(JoinBuffer.MAX_KEPT + 10);
		this.buffer.join(List.of(frame(10), frame(10)));
		assertThat(this.buffer.array()).isSameAs(kept);
	}

	@Test
	void neverWritesAgainIntoAnArrayHandedOver() {
		this.buffer.join(List.of(bytes("data: kept\n\n"), bytes("data: by the response\n\n")));
		byte[] handedOver = this.buffer.array();
		byte[] asHandedOver = Arrays.copyOf(handedOver, this.buffer.length());
		this.buffer.handOver();
		this.buffer.join(List.of(bytes("data: x\n\n"), bytes("data: y\n\n")));

		assertThat(this.buffer.array()).isNotSameAs(handedOver);
		assertThat(Arrays.copyOf(handedOver, asHandedOver.length)).isEqualTo(asHandedOver);
		assertThat(joined()).isEqualTo("data: x\n\ndata: y\n\n");
	}

	@Test
	void isOnePerThread() throws Exception {
		JoinBuffer here = JoinBuffer.ofCurrentThread();
		JoinBuffer elsewhere = CompletableFuture.supplyAsync(JoinBuffer::ofCurrentThread).get();

		assertThat(JoinBuffer.ofCurrentThread()).isSameAs(here);
		assertThat(elsewhere).isNotSameAs(here);
	}

	private String joined() {
		return new String(this.buffer.array(), 0, this.buffer.length(), StandardCharsets.UTF_8);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] frame(int length) {
		byte[] frame = new byte[length];
		Arrays.fill(frame, (byte) 'x');
		return frame;
	}

}
