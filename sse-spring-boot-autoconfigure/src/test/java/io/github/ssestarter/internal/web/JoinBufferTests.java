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
		byte[] joined = this.buffer.join(List.of(bytes("data: a\n\n"), bytes("data: bc\n\n"), bytes(": ping\n\n")));

		assertThat(text(joined)).isEqualTo("data: a\n\ndata: bc\n\n: ping\n\n");
	}

	@Test
	void reusesItsArrayFromJoinToJoin() {
		byte[] first = this.buffer.join(List.of(bytes("data: a\n\n"), bytes("data: b\n\n")));
		byte[] second = this.buffer.join(List.of(bytes("data: c\n\n"), bytes("data: d\n\n")));

		assertThat(second).isSameAs(first);
		assertThat(text(second)).isEqualTo("data: c\n\ndata: d\n\n");
	}

	@Test
	void growsItsArrayForALargerJoinAndKeepsIt() {
		byte[] grown = this.buffer.join(List.of(frame(20_000), frame(20_000)));

		assertThat(grown.length).isGreaterThanOrEqualTo(40_000).isLessThanOrEqualTo(JoinBuffer.MAX_KEPT);
		assertThat(this.buffer.join(List.of(frame(10), frame(10)))).isSameAs(grown);
	}

	@Test
	void givesAJoinLargerThanItKeepsAnArrayOfItsOwn() {
		byte[] kept = this.buffer.join(List.of(frame(10), frame(10)));
		byte[] large = this.buffer.join(List.of(frame(JoinBuffer.MAX_KEPT), frame(10)));

		assertThat(large).isNotSameAs(kept).hasSize(JoinBuffer.MAX_KEPT + 10);
		assertThat(this.buffer.length()).isEqualTo(JoinBuffer.MAX_KEPT + 10);
		assertThat(this.buffer.join(List.of(frame(10), frame(10)))).isSameAs(kept);
	}

	@Test
	void neverWritesAgainIntoAnArrayHandedOver() {
		byte[] handedOver = this.buffer.join(List.of(bytes("data: kept\n\n"), bytes("data: by the response\n\n")));
		String asHandedOver = text(handedOver);
		this.buffer.handOver(handedOver);
		byte[] next = this.buffer.join(List.of(bytes("data: x\n\n"), bytes("data: y\n\n")));

		assertThat(next).isNotSameAs(handedOver);
		assertThat(new String(handedOver, 0, asHandedOver.length(), StandardCharsets.UTF_8)).isEqualTo(asHandedOver);
		assertThat(text(next)).isEqualTo("data: x\n\ndata: y\n\n");
	}

	@Test
	void keepsItsArrayWhenALargerOneIsHandedOver() {
		byte[] kept = this.buffer.join(List.of(frame(10), frame(10)));
		this.buffer.handOver(this.buffer.join(List.of(frame(JoinBuffer.MAX_KEPT), frame(10))));

		assertThat(this.buffer.join(List.of(frame(10), frame(10)))).isSameAs(kept);
	}

	@Test
	void isOnePerThread() throws Exception {
		JoinBuffer here = JoinBuffer.ofCurrentThread();
		JoinBuffer elsewhere = CompletableFuture.supplyAsync(JoinBuffer::ofCurrentThread).get();

		assertThat(JoinBuffer.ofCurrentThread()).isSameAs(here);
		assertThat(elsewhere).isNotSameAs(here);
	}

	/** The last join's text, from the array it returned. */
	private String text(byte[] joined) {
		return new String(joined, 0, this.buffer.length(), StandardCharsets.UTF_8);
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
