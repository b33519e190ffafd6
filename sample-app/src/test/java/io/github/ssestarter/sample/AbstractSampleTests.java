package io.github.ssestarter.sample;

import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base for tests of the running sample over real HTTP: the whole application on a random port,
 * its {@link JsonMapper}, and a fresh {@link SampleClient} for each test.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class AbstractSampleTests {

	@LocalServerPort
	int port;

	@Autowired
	JsonMapper jsonMapper;

	SampleClient client;

	@BeforeEach
	void createClient() {
		this.client = new SampleClient(this.port, this.jsonMapper);
	}

}
