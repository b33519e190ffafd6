package io.github.ssestarter.internal.redis;

import io.github.ssestarter.internal.broadcast.BroadcastTestApplicationAccess;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The broadcast test application (topics at {@code /topics/{topic}}, users from {@code X-Test-User}),
 * with Redis.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(BroadcastTestApplicationAccess.class)
class RedisTestApplication {

}
