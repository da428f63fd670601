package org.datapact.store;

class PostgresStoreTest extends StoreContractTest {
  @Override
  StoreConfig newStore() {
    return TestStores.postgres();
  }
}
