'use client';

import { useState } from 'react';
import { addProduct } from './actions';

export function AddProduct() {
  const [count, setCount] = useState<number>();
  return (
    <button type="button" id="add" onClick={async () => setCount(await addProduct('added'))}>
      {count === undefined ? 'Add a product' : `${count} products`}
    </button>
  );
}
