import { AddProduct } from './add-product';

export default function ActionPage() {
  return <AddProduct />;
}
