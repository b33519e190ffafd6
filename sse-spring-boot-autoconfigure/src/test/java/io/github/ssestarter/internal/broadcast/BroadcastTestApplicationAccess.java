package io.github.ssestarter.internal.broadcast;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Lets tests in other packages run the broadcast test application's controller and user filter.
 */
@Configuration(proxyBeanMethods = false)
@Import(BroadcastTestApplication.class)
public class BroadcastTestApplicationAccess {

}
