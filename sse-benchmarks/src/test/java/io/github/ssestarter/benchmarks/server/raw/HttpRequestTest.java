package io.github.ssestarter.benchmarks.server.raw;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpRequestTest {

	@Test
	void parsesRequestLineQueryBodyLengthAndKeepAlive() {
		HttpRequest request = parse("POST /publish?count=10&rate=2.5&size= HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Length: 0\r\nUser-Agent: Java-http-client/17\r\n\r\n");
		assertThat(request.is("POST", "/publish")).isTrue();
		assertThat(request.parameter("count", "")).isEqualTo("10");
		assertThat(request.parameter("rate", "0")).isEqualTo("2.5");
		assertThat(request.parameter("size", "64")).isEqualTo("64");
		assertThat(request.parameter("other", "d")).isEqualTo("d");
		assertThat(request.contentLength()).isZero();
		assertThat(request.keepAlive()).isTrue();
	}

	@Test
	void closesAfterConnectionCloseOrHttp10() {
		assertThat(parse("GET /stats HTTP/1.1\r\nConnection: Close\r\n\r\n").keepAlive()).isFalse();
		assertThat(parse("GET /stats HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
		assertThat(parse("GET /stats HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
	}

	@Test
	void refusesWhatIsNotAnHttp1RequestHead() {
		for (String head : new String[] { "GET /stats\r\n\r\n", "GET stats HTTP/1.1\r\n\r\n",
				"GET /stats HTTP/2.0\r\n\r\n", "GET /stats HTTP/1.1\r\nNoColon\r\n\r\n",
				"GET /stats HTTP/1.1\r\nBad Name: x\r\n\r\n", "GET /stats HTTP/1.1\r\n folded: x\r\n\r\n",
				"POST /gc HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
				"POST /gc HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
				"POST /gc HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" }) {
			assertThatThrownBy(() -> parse(head)).as(head).isInstanceOf(HttpRequest.Malformed.class);
		}
	}

	@Test
	void encodesAnEventAsOneChunk() {
		String chunk = new String(Event.encode(7, "123 7"), StandardCharsets.UTF_8);
		assertThat(chunk).isEqualTo("1f\r\nid: 7\nevent: tick\ndata: 123 7\n\n\r\n");
		assertThat(Integer.parseInt("1f", 16)).isEqualTo("id: 7\nevent: tick\ndata: 123 7\n\n".length());
	}

	private static HttpRequest parse(String head) {
		byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
		return HttpRequest.parse(bytes, 0, bytes.length);
	}

}
